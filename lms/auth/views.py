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
from flask_login import current_user, login_user, logout_user

from lms import access
from lms.auth import services
from lms.auth.forms import LoginForm, NewPasswordForm, ProfileForm
from lms.extensions import db, limiter

bp = Blueprint("auth", __name__)

SESSION_TOKEN_KEY = "auth_token"  # noqa: S105 (a session key name, not a secret)
GENERIC_FAILURE = "That username and password do not match an active account."


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
            form.form_errors.append(
                f"Too many attempts for this account. Try again in {result.throttled_minutes} "
                f"minute{'s' if result.throttled_minutes != 1 else ''}."
            )
            status = 429
        elif result.user is None:
            db.session.commit()  # keep the failed attempt for throttling
            form.form_errors.append(GENERIC_FAILURE)
        else:
            return _sign_in(result.user, result.must_set_password)
    return render_template("auth/login.html", form=form), status


def _sign_in(user, must_set_password):
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    token = services.start_session(user)
    db.session.commit()
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    if must_set_password:
        flash("Welcome. Choose your own password to finish signing in.", "info")
        return redirect(url_for("auth.password"))
    return redirect(safe_next_url(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@access.public
def logout():
    services.end_session(session.get(SESSION_TOKEN_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@access.signed_in
def password():
    form = NewPasswordForm(current_user)
    first_time = current_user.must_set_password
    if first_time:
        del form.current_password
    if form.validate_on_submit():
        if not first_time and not services.passwords.verify_password(
            current_user.password_hash, form.current_password.data
        ):
            form.current_password.errors.append("Your current password is not right.")
        else:
            services.set_password(current_user, form.new_password.data)
            services.end_other_sessions(current_user, keep_token=session.get(SESSION_TOKEN_KEY))
            db.session.commit()
            flash("Your password has been saved. Other devices have been signed out.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form, first_time=first_time)


@bp.route("/account", methods=["GET", "POST"])
@access.signed_in
def profile():
    form = ProfileForm(current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.email = services.normalise_email(form.email.data)
        current_user.preferred_language = form.preferred_language.data
        current_user.listed_publicly = form.listed_publicly.data
        db.session.commit()
        flash("Your details have been saved.", "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


def load_user(user_id):
    return services.load_session_user(user_id, session.get(SESSION_TOKEN_KEY))


#: Endpoints a person who still has to choose a password may use.
ALLOWED_BEFORE_PASSWORD_SET = {"auth.password", "auth.logout", "static", "main.healthz"}


def require_own_password():
    """before_request hook: after a one-time password, choosing one's own comes first."""
    if (
        current_user.is_authenticated
        and current_user.must_set_password
        and request.endpoint not in ALLOWED_BEFORE_PASSWORD_SET
    ):
        return redirect(url_for("auth.password"))
    return None
