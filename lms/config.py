"""Configuration: one class per environment, values read from environment variables.

Nothing here runs at import time; `load_config` is called by the app factory.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit


class BaseConfig:
    #: Lifetime of a signed-in session on the server side, in hours.
    SESSION_HOURS = 12
    #: Attempts allowed for one account from one address inside the window (sign-in and
    #: the current-password check); a success clears the count. Keyed by account and address
    #: together (NIST SP 800-63B), so an attacker cannot lock the owner out from elsewhere.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    #: Per-address limit on sign-in posts (Flask-Limiter syntax).
    LOGIN_RATE_LIMIT = "30 per minute"
    #: Per-address limit on "forgotten your password?" requests (Flask-Limiter syntax); the
    #: per-account limit is policy (password_reset_requests_per_hour).
    RESET_LINK_RATE_LIMIT = "10 per hour"
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
    #: The site's canonical public address, e.g. https://lms.example.org: every absolute URL
    #: (emails, QR codes, credential ids, issuer) is built on it, never on the Host header.
    LMS_BASE_URL = ""
    #: Proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are trusted.
    TRUSTED_PROXIES = 0
    #: Strict-Transport-Security max-age in seconds; 0 sends no header.
    HSTS_MAX_AGE = 0
    #: Key for the audit chain's HMAC, kept outside the database (see README).
    AUDIT_KEY: str | None = None
    #: True: a request that changes data without writing an audit event fails (tests);
    #: False: it is logged as an error.
    AUDIT_ENFORCE = False
    #: The product's name in the header, page titles, emails and certificates.
    PRODUCT_NAME = "Restorative LMS"
    #: Its Welsh form, for Welsh pages, emails and certificates ("" shows PRODUCT_NAME).
    PRODUCT_NAME_CY = "LMS Adferol"
    #: A PNG or SVG logo file shown when no logo has been uploaded (admin: Name and logo).
    LOGO_PATH = None
    #: Where an uploaded logo is kept; unset: instance/branding.
    BRANDING_DIR = None
    #: The organisation named on certificates and as the credential issuer.
    ISSUER_NAME = "Restorative Practice Accreditation Network"
    #: PEM of a private key (RSA, EC P-256 or Ed25519) that signs credentials; unset: keys
    #: are generated and kept in the database (see lms/accreditation/signing_keys.py).
    SIGNING_KEY_PEM = None
    #: Public register searches per address (Flask-Limiter syntax).
    REGISTER_RATE_LIMIT = "60 per minute"
    #: Dashboard periods: the earliest start (ISO date) and the longest span, in days.
    REPORT_PERIOD_EARLIEST = "2000-01-01"
    REPORT_PERIOD_MAX_DAYS = 5 * 366
    #: "json": one JSON object per log line, with the request id (lms/ops); "text": Flask's.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"


class DevelopmentConfig(BaseConfig):
    DEBUG = False  # the debugger is opt-in with FLASK_DEBUG=1


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_MAX_AGE = 31_536_000  # one year


class TestConfig(BaseConfig):
    TESTING = True
    SECRET_KEY = "test-only-secret-key-not-for-deployment"  # noqa: S105
    AUDIT_KEY = "test-only-audit-key-not-for-deployment"
    AUDIT_ENFORCE = True
    LMS_BASE_URL = "https://lms.example.org"
    WTF_CSRF_ENABLED = False
    # Limits stay switched on (so they are tested) but too high for the suite to reach;
    # a test lowers one to see it refuse.
    LOGIN_RATE_LIMIT = "100000 per minute"
    REGISTER_RATE_LIMIT = "100000 per minute"
    RESET_LINK_RATE_LIMIT = "100000 per minute"
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
    "LMS_PRODUCT_NAME": "PRODUCT_NAME",
    "LMS_PRODUCT_NAME_CY": "PRODUCT_NAME_CY",
    "LMS_LOGO_PATH": "LOGO_PATH",
    "LMS_BRANDING_DIR": "BRANDING_DIR",
    "LMS_SIGNING_KEY_PEM": "SIGNING_KEY_PEM",
    "LMS_TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "LMS_AUDIT_KEY": "AUDIT_KEY",
    "LMS_EVIDENCE_DIR": "EVIDENCE_DIR",
    "LMS_LOG_FORMAT": "LOG_FORMAT",
    "LMS_LOG_LEVEL": "LOG_LEVEL",
    "LMS_EVIDENCE_STORE": "EVIDENCE_STORE",
    "LMS_EVIDENCE_S3_ENDPOINT_URL": "EVIDENCE_S3_ENDPOINT_URL",
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
    _ensure_audit_key(app, env_name)
    _check_base_url(app, env_name)
    _check_trusted_proxies(app)


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
    app.config["SECRET_KEY"] = _instance_key(app, "secret_key")


def _ensure_audit_key(app, env_name):
    key = app.config.get("AUDIT_KEY")
    if key:
        if env_name == "production" and len(key) < 32:
            raise RuntimeError("LMS_AUDIT_KEY must be at least 32 characters in production.")
        return
    if env_name == "production":
        raise RuntimeError(
            "LMS_AUDIT_KEY is not set. Production refuses to start without the key that seals "
            "the audit trail; keep it outside the database and back it up.")
    app.config["AUDIT_KEY"] = _instance_key(app, "audit_key")


def _instance_key(app, name: str) -> str:
    """A random key kept in the instance folder (development only), made on first use."""
    key_file = Path(app.instance_path) / name
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _check_base_url(app, env_name):
    base = (app.config.get("LMS_BASE_URL") or "").rstrip("/")
    if base:
        parts = urlsplit(base)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
            raise RuntimeError(f"LMS_BASE_URL must be like https://lms.example.org, not {base!r}.")
        if env_name == "production" and parts.scheme != "https":
            raise RuntimeError("LMS_BASE_URL must start with https:// in production.")
    elif env_name == "production":
        raise RuntimeError(
            "LMS_BASE_URL is not set. Production needs the site's public address "
            "(e.g. https://lms.example.org) for links, QR codes and credentials.")
    app.config["LMS_BASE_URL"] = base


def _check_trusted_proxies(app):
    value = str(app.config.get("TRUSTED_PROXIES") or 0)
    if not value.isdigit():
        raise RuntimeError(f"LMS_TRUSTED_PROXIES must be a whole number, not {value!r}.")
    app.config["TRUSTED_PROXIES"] = int(value)
