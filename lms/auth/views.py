from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_user, logout_user

from lms import access, policy
from lms.audit import services as audit
from lms.auth import reset, services
from lms.auth.forms import ForgottenPasswordForm, LoginForm, NewPasswordForm, ProfileForm
from lms.extensions import db, limiter
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import ngettext, remember_language

bp = Blueprint("auth", __name__)

SESSION_TOKEN_KEY = "auth_token"  # noqa: S105 (a session key name, not a secret)
GENERIC_FAILURE = _l("That username and password do not match an active account.")


def safe_next_url(target: str | None) -> str:
    """Only a path on this site; anything else (other hosts, schemes, `//x`) goes home.
    Control characters are refused: CR/LF cannot go in a header, and browsers drop tabs
    and line breaks, so "/<tab>/evil.example" would lead off the site."""
    if target and target.isprintable():
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith(("//", "/\\"))
        ):
            return target
    return url_for("main.index")


def _login_rate_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@access.public
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.username.data, form.password.data)
        if result.throttled_minutes is not None:
            form.form_errors.append(_throttled_message(result.throttled_minutes))
            status = 429
        elif result.user is None:
            form.form_errors.append(str(GENERIC_FAILURE))
        else:
            return _sign_in(result.user, result.must_set_password)
    return render_template("auth/login.html", form=form), status


def _throttled_message(minutes: int) -> str:
    return ngettext("Too many attempts for this account. Try again in %(num)d minute.",
                    "Too many attempts for this account. Try again in %(num)d minutes.", minutes)


def _sign_in(user, must_set_password):
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    if must_set_password:
        audit.record("user.one_time_password_used", actor=user, object_type="user",
                     object_id=user.id)
    token = services.start_session(user)
    db.session.commit()
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    if must_set_password:
        flash(_("Welcome. Choose your own password to finish signing in."), "info")
        return redirect(url_for("auth.password"))
    return redirect(safe_next_url(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@access.public
def logout():
    language = str(get_locale())  # the person's language stays for the pages that follow
    services.end_session(session.get(SESSION_TOKEN_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return remember_language(redirect(url_for("auth.login")), language)


@bp.route("/account/password", methods=["GET", "POST"])
@access.signed_in
def password():
    form = NewPasswordForm(current_user)
    first_time = current_user.must_set_password
    if first_time:
        del form.current_password
    status = 200
    if form.validate_on_submit():
        right, wait = (True, None) if first_time else services.check_current_password(
            current_user, form.current_password.data)
        if wait is not None:
            form.current_password.errors.append(_throttled_message(wait))
            status = 429
        elif not right:
            form.current_password.errors.append(_("Your current password is not right."))
        else:
            services.set_password(current_user, form.new_password.data)
            services.end_other_sessions(current_user, keep_token=session.get(SESSION_TOKEN_KEY))
            audit.record("user.password_changed", actor=current_user, object_type="user",
                         object_id=current_user.id, payload={"first_time": first_time})
            db.session.commit()
            flash(_("Your password has been saved. Other devices have been signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form, first_time=first_time), status


def _reset_link_rate_limit():
    return current_app.config["RESET_LINK_RATE_LIMIT"]


@bp.route("/forgotten-password", methods=["GET", "POST"])
@access.public
@limiter.limit(_reset_link_rate_limit, methods=["POST"])
def forgotten_password():
    """The same answer whether or not an account matches, so nobody learns which exist."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.account.data)
        db.session.commit()
        return render_template("auth/reset_sent.html",
                               reset_link_hours=policy.accounts("password_reset_link_hours"))
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@access.public
@limiter.limit(_reset_link_rate_limit, methods=["POST"])
def reset_password(token):
    link = reset.token_for(token)
    if link is None:
        return render_template("auth/reset_link_invalid.html"), 404
    form = NewPasswordForm(link.user)
    del form.current_password
    if form.validate_on_submit():
        if not reset.reset_password(link, form.new_password.data):
            db.session.rollback()
            return render_template("auth/reset_link_invalid.html"), 404
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
            session.clear()
        flash(_("Your new password has been saved. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    # The page's address holds the secret: keep it out of caches.
    return render_template("auth/reset_password.html", form=form), 200, {
        "Cache-Control": "no-store"}


@bp.route("/account", methods=["GET", "POST"])
@access.signed_in
def profile():
    form = ProfileForm(current_user)
    if form.validate_on_submit():
        changed = services.update_profile(
            current_user, display_name=form.display_name.data, email=form.email.data,
            preferred_language=form.preferred_language.data,
            listed_publicly=form.listed_publicly.data)
        if changed:
            # Which fields changed, not their values: no personal data in the trail.
            audit.record("user.profile_changed", actor=current_user, object_type="user",
                         object_id=current_user.id,
                         payload={"fields": changed,
                                  "listed_publicly": current_user.listed_publicly})
        db.session.commit()
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


def load_user(user_id):
    return services.load_session_user(user_id, session.get(SESSION_TOKEN_KEY))


#: Endpoints a person who still has to choose a password may use.
ALLOWED_BEFORE_PASSWORD_SET = {"auth.password", "auth.logout", "static", "main.healthz",
                                "ops.readyz"}


def require_own_password():
    """before_request hook: after a one-time password, choosing one's own comes first."""
    if (
        current_user.is_authenticated
        and current_user.must_set_password
        and request.endpoint not in ALLOWED_BEFORE_PASSWORD_SET
    ):
        return redirect(url_for("auth.password"))
    return None
