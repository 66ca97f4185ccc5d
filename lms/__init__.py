"""restorative-lms: training and accreditation for restorative-practice facilitators."""

from pathlib import Path

from flask import Blueprint, Flask

from lms import access, http_security, i18n, inputs, ops
from lms.config import load_config
from lms.extensions import csrf, db, limiter, login_manager, migrate
from lms.i18n import lazy_gettext as _l

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
    http_security.init_app(app)
    ops.init_app(app)
    return app


def _init_extensions(app):
    import lms.models  # noqa: F401  (every model registered before Alembic looks)
    from lms import read_only_transactions
    from lms.audit import guard
    from lms.auth import passwords
    from lms.auth.views import load_user

    db.init_app(app)
    i18n.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _limits_on_their_routes_only(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to see that page.")
    login_manager.localize_callback = str  # flashed in the language of the request
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    passwords.init_app(app)
    guard.install()
    with app.app_context():
        read_only_transactions.install(db.engine)


def _limits_on_their_routes_only(app):
    """Every rate limit of this app is on its route (`@limiter.limit`), checked by that
    decorator as the view runs. Flask-Limiter also checks every request before dispatch,
    for limits on the whole app, on a blueprint or by default; with none, that check
    decides nothing and cost every page 0.43 M instructions (3% of a lesson), so it is
    taken out. Setting RATELIMIT_DEFAULT or RATELIMIT_APPLICATION keeps it."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    app.before_request_funcs[None].remove(limiter._check_request_limit)


def _register_blueprints(app):
    from lms.accreditation import (
        cpd_audit_views,
        decision_views,
        observation_views,
        portfolio_views,
        public_views,
        record_views,
    )
    from lms.accreditation import views as pathway_views
    from lms.areas.views import bp as areas_bp
    from lms.audit.views import bp as audit_bp
    from lms.auth.views import bp as auth_bp
    from lms.branding.views import bp as branding_bp
    from lms.errors import handlers
    from lms.i18n.views import bp as i18n_bp
    from lms.learning import (
        calendar_views,
        completion_views,
        home_views,
        paper_views,
        session_views,
        skills_views,
        training_views,
    )
    from lms.learning import views as course_views
    from lms.main.views import bp as main_bp
    from lms.notify.views import bp as notify_bp
    from lms.ops.views import bp as ops_bp
    from lms.people.views import bp as people_bp
    from lms.practice import assess_views, cpd_views, supervision_views
    from lms.practice import views as practice_record_views
    from lms.privacy.views import bp as privacy_bp
    from lms.processes import feedback_views
    from lms.processes import views as process_views
    from lms.reports.views import bp as reports_bp
    from lms.schemes.views import bp as schemes_bp

    features = [
        _feature("learning", home_views.bp, course_views.bp, session_views.bp,
                 training_views.bp, paper_views.bp, skills_views.bp, calendar_views.bp,
                 completion_views.bp),
        _feature("practice", practice_record_views.bp, assess_views.bp, supervision_views.bp,
                 cpd_views.bp),
        _feature("accreditation", pathway_views.bp, decision_views.bp, record_views.bp,
                 public_views.bp, observation_views.bp, cpd_audit_views.bp, portfolio_views.bp),
        _feature("processes", process_views.bp, feedback_views.bp),
    ]
    for blueprint in (main_bp, auth_bp, schemes_bp, people_bp, notify_bp, reports_bp,
                      privacy_bp, audit_bp, branding_bp, ops_bp, areas_bp, i18n_bp,
                      *features):
        app.register_blueprint(blueprint)
    handlers.register(app)


def _feature(name: str, *parts: Blueprint) -> Blueprint:
    """One blueprint per feature package; its parts keep their own URL prefixes, and their
    endpoints read feature.part.view (e.g. practice.assess.queue)."""
    feature = Blueprint(name, f"lms.{name}")
    for part in parts:
        feature.register_blueprint(part)
    return feature


def _register_hooks(app):
    from lms import branding
    from lms.auth.views import require_own_password
    from lms.templating import (
        TemplateContext,
        kept_url_for,
        register_filters,
        security_headers,
        template_globals,
    )

    app.before_request(lambda: access.refuse_undeclared_endpoints(app))
    app.before_request(require_own_password)
    app.after_request(security_headers)
    app.context_processor(template_globals)
    app.jinja_env.globals["url_for"] = kept_url_for  # a global: imported macros use it too
    app.jinja_env.context_class = TemplateContext
    app.context_processor(branding.template_globals)
    register_filters(app)


def _register_cli(app):
    from lms.accreditation.cli import accreditation_cli
    from lms.accreditation.standards import check_standards_file
    from lms.audit.cli import audit_cli
    from lms.demo.cli import demo_cli
    from lms.learning.cli import CATALOGUE_CHECKS, courses_cli
    from lms.notify.cli import DUE_REMINDERS, notify_cli
    from lms.people.cli import users_cli
    from lms.practice.supervision import notify_overdue
    from lms.privacy.cli import privacy_cli
    from lms.reports.cli import reports_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(accreditation_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(reports_cli)
    app.extensions[DUE_REMINDERS] = {"overdue supervision": notify_overdue}
    app.extensions[CATALOGUE_CHECKS] = [check_standards_file]
