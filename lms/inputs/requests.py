"""Refuse, before any view runs, text that the database cannot store.

A NUL byte in a query string, form, path or JSON body made PostgreSQL raise an error on
the first query that used it (sign-in, register search, verification, every form).
Nobody types a NUL: the request is refused whole with a page that says why.
"""

from flask import request

from lms.errors.handlers import render_error
from lms.i18n import lazy_gettext as _l
from lms.inputs.text import unstorable

REFUSAL = _l("Your request contained a hidden control character (a NUL byte) that cannot be "
             "stored. Remove it, or type the text again instead of pasting it, and try again.")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _request_strings():
    for multidict in (request.args, request.form):
        for key, values in multidict.lists():
            yield key
            yield from values
    for _name, uploads in request.files.lists():
        yield from (upload.filename or "" for upload in uploads)
    yield from _strings(request.view_args or {})
    if request.is_json:
        yield from _strings(request.get_json(silent=True))


def refuse_unstorable_text():
    """before_request hook: 400 when any part of the request holds unstorable text."""
    if request.endpoint == "static":
        return None
    if any(unstorable(text) for text in _request_strings()):
        return render_error(400, REFUSAL)
    return None


def init_app(app):
    app.before_request(refuse_unstorable_text)
