"""Configuration: one class per environment, values read from environment variables.

Nothing here runs at import time; `load_config` is called by the app factory.
"""

import os
import secrets
from pathlib import Path


class BaseConfig:
    #: Lifetime of a signed-in session on the server side, in hours.
    SESSION_HOURS = 12
    #: Failed sign-ins allowed for one account inside the window before it is throttled.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    #: Per-address limit on sign-in posts (Flask-Limiter syntax).
    LOGIN_RATE_LIMIT = "30 per minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: argon2id cost parameters (argon2-cffi defaults follow RFC 9106's second recommendation).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    #: Largest upload accepted (CSV imports), in bytes.
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    MAX_IMPORT_ROWS = 10_000
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    TESTING = False
    #: smtp://, smtp+starttls:// or smtps://user:password@host:port; unset keeps mail in
    #: the outbox for admins to read.
    SMTP_URL = None
    MAIL_FROM = "Restorative LMS <no-reply@localhost>"
    #: Used in emails to link back to the site, e.g. https://lms.example.org
    LMS_BASE_URL = ""
    #: The organisation named on certificates and as the credential issuer.
    ISSUER_NAME = "Restorative Practice Accreditation Network"
    #: PEM of an Ed25519 private key; unset: keys are generated in instance/signing-keys/.
    SIGNING_KEY_PEM = None
    #: Public register searches per address (Flask-Limiter syntax).
    REGISTER_RATE_LIMIT = "60 per minute"
    #: Dashboard periods: the earliest start (ISO date) and the longest span, in days.
    REPORT_PERIOD_EARLIEST = "2000-01-01"
    REPORT_PERIOD_MAX_DAYS = 5 * 366


class DevelopmentConfig(BaseConfig):
    DEBUG = False  # the debugger is opt-in with FLASK_DEBUG=1


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "test-only-secret-key-not-for-deployment"  # noqa: S105
    WTF_CSRF_ENABLED = False
    # Limits stay switched on (so they are tested) but too high for the suite to reach;
    # a test lowers one to see it refuse.
    LOGIN_RATE_LIMIT = "100000 per minute"
    REGISTER_RATE_LIMIT = "100000 per minute"
    # Cheap hashing keeps the suite fast; production uses the full cost above.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}

#: Environment variables read by the factory, documented in the README.
ENV_SETTINGS = {
    "LMS_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "LMS_RATELIMIT_STORAGE_URL": "RATELIMIT_STORAGE_URI",
    "LMS_SERVER_NAME": "SERVER_NAME",
    "LMS_SMTP_URL": "SMTP_URL",
    "LMS_MAIL_FROM": "MAIL_FROM",
    "LMS_BASE_URL": "LMS_BASE_URL",
    "LMS_ISSUER_NAME": "ISSUER_NAME",
    "LMS_SIGNING_KEY_PEM": "SIGNING_KEY_PEM",
}


def load_config(app, config):
    """Apply the environment's class, then environment variables, then `config` overrides."""
    overrides = dict(config or {})
    env_name = overrides.pop("ENV", None) or os.environ.get("LMS_CONFIG", "production")
    if env_name not in CONFIGS:
        raise RuntimeError(f"LMS_CONFIG must be one of {sorted(CONFIGS)}, not {env_name!r}")
    app.config.from_object(CONFIGS[env_name])
    app.config["LMS_ENV"] = env_name
    for env_var, key in ENV_SETTINGS.items():
        if os.environ.get(env_var):
            app.config[key] = os.environ[env_var]
    if os.environ.get("LMS_SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["LMS_SECRET_KEY"]
    app.config.update(overrides)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'lms.db'}"
    )
    _ensure_secret_key(app, env_name)


def _ensure_secret_key(app, env_name):
    key = app.config.get("SECRET_KEY")
    if key:
        if env_name == "production" and len(key) < 32:
            raise RuntimeError("LMS_SECRET_KEY must be at least 32 characters in production.")
        return
    if env_name == "production":
        raise RuntimeError(
            "LMS_SECRET_KEY is not set. Production refuses to start without a real secret key "
            "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    # Development: a random key kept in the instance folder, never one written in code.
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
