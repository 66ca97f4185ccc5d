"""restorative-lms: training and accreditation for restorative-practice facilitators."""

from pathlib import Path

from flask import Flask

from lms import access, inputs
from lms.config import load_config
from lms.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides settings (tests pass ENV="testing")."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    load_config(app, config)
    _init_extensions(app)
    inputs.init_app(app)  # before the blueprints: their routes use its converters
    _register_blueprints(app)
    _register_hooks(app)
    _register_cli(app)
    return app


def _init_extensions(app):
    import lms.models  # noqa: F401  (every model registered before Alembic looks)
    from lms.auth import passwords
    from lms.auth.views import load_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    passwords.init_app(app)


def _register_blueprints(app):
    from lms.accreditation.decision_views import bp as decisions_bp
    from lms.accreditation.public_views import bp as public_bp
    from lms.accreditation.record_views import bp as records_bp
    from lms.accreditation.views import bp as accreditation_bp
    from lms.auth.views import bp as auth_bp
    from lms.errors import handlers
    from lms.learning.dashboard import bp as dashboard_bp
    from lms.learning.session_views import bp as sessions_bp
    from lms.learning.training_views import bp as training_bp
    from lms.learning.views import bp as learning_bp
    from lms.main.views import bp as main_bp
    from lms.notify.views import bp as notify_bp
    from lms.people.views import bp as people_bp
    from lms.practice.assess_views import bp as assess_bp
    from lms.practice.cpd_views import bp as cpd_bp
    from lms.practice.supervision_views import bp as supervision_bp
    from lms.practice.views import bp as practice_bp
    from lms.reports import bulk_views  # noqa: F401  (adds the bulk-action routes to reports)
    from lms.reports.views import bp as reports_bp
    from lms.schemes.views import bp as schemes_bp

    for blueprint in (main_bp, auth_bp, schemes_bp, people_bp, learning_bp, dashboard_bp,
                      sessions_bp, training_bp, practice_bp, assess_bp, supervision_bp, cpd_bp,
                      notify_bp, accreditation_bp, decisions_bp, records_bp, public_bp,
                      reports_bp):
        app.register_blueprint(blueprint)
    handlers.register(app)


def _register_hooks(app):
    from lms.auth.views import require_own_password
    from lms.templating import register_filters, security_headers, template_globals

    app.before_request(lambda: access.refuse_undeclared_endpoints(app))
    app.before_request(require_own_password)
    app.after_request(security_headers)
    app.context_processor(template_globals)
    register_filters(app)


def _register_cli(app):
    from lms.accreditation.cli import accreditation_cli
    from lms.audit.cli import audit_cli
    from lms.demo.cli import demo_cli
    from lms.learning.cli import courses_cli
    from lms.notify.cli import notify_cli
    from lms.people.cli import users_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(accreditation_cli)
