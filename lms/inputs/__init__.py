"""Bad input never reaches the database as a server error.

One place for the checks every route shares: ids in URLs are bounded to the database's
integer range (`converters`), text that no database can store is refused before any view
runs (`requests`), names lose control and direction-override characters whenever they are
set (`names`). Elsewhere: page numbers are read and clamped in one paginate
(`lms.pagination`), forms strip control characters and refuse NaN through one base form
(`lms.forms.BaseForm`), and database refusals become clear pages (`lms.errors.handlers`).
"""

from lms.inputs import converters, names, requests


def init_app(app):
    """Call before blueprints are registered: routes bind their converters when added."""
    converters.init_app(app)
    requests.init_app(app)
    names.listen()
