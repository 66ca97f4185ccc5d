"""Who may use each endpoint.

Every view is wrapped by exactly one of these decorators, which records its rule on the
function. The factory refuses any request to an endpoint without a rule (fail closed), and
a test walks `app.url_map` to prove every endpoint declares one. Object-level checks
(which scheme, which person) are done on the object, in the feature's `get_..._or_404`.
"""

import functools

from flask import abort, request
from flask_login import current_user

from lms.extensions import login_manager

ACCESS_ATTR = "access_rule"
#: Endpoints served by Flask itself.
BUILTIN_PUBLIC_ENDPOINTS = {"static"}


def _declare(rule, check=None):
    def decorator(view):
        if check is None:
            wrapped = view
        else:

            @functools.wraps(view)
            def wrapped(*args, **kwargs):
                check()
                return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, rule)
        return wrapped

    return decorator


def _require_sign_in():
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def _require_admin():
    _require_sign_in()
    if not current_user.is_admin:
        abort(403)


def public(view):
    """Anyone, signed in or not."""
    return _declare("public")(view)


def signed_in(view):
    """Any signed-in person."""
    return _declare("signed-in", _require_sign_in)(view)


def admin(view):
    """Administrators only."""
    return _declare("admin", _require_admin)(view)


def role(*roles):
    """People holding one of `roles` in at least one scheme, and administrators."""

    def check():
        _require_sign_in()
        if not (current_user.is_admin or current_user.has_role(*roles)):
            abort(403)

    return _declare("role:" + ",".join(sorted(roles)), check)


def access_rule_of(view_function):
    return getattr(view_function, ACCESS_ATTR, None)


def refuse_undeclared_endpoints(app):
    """before_request hook: an endpoint without a declared rule is never served."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return
    if access_rule_of(app.view_functions[endpoint]) is None:
        app.logger.error("endpoint %s has no access rule; refusing", endpoint)
        abort(403)


def assessor(view):
    """Accreditation assessors and administrators."""

    def check():
        _require_sign_in()
        if not (current_user.is_admin or current_user.is_assessor):
            abort(403)

    return _declare("assessor", check)(view)


def lead_or_assessor(view):
    """Scheme leads (for their own practitioners), assessors and administrators."""

    def check():
        _require_sign_in()
        if not (current_user.is_admin or current_user.is_assessor
                or current_user.has_role("lead")):
            abort(403)

    return _declare("lead-or-assessor", check)(view)


def viewer(view):
    """Figures across schemes, read-only: administrators, people granted a viewer scope
    (lms.areas) and scheme leads (for their own schemes). Never case text."""

    def check():
        _require_sign_in()
        if current_user.is_admin or current_user.has_role("lead"):
            return
        from lms.areas.services import is_viewer  # late: every feature imports lms.access

        if not is_viewer(current_user):
            abort(403)

    return _declare("viewer", check)(view)
