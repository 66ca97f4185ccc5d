from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from lms.forms import BaseForm
from lms.i18n import lazy_gettext as _l


class TrailFilterForm(BaseForm):
    """Filters of the audit trail page, read from the query string."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    person = StringField(_l("Person (username)"), validators=[Optional(), Length(max=64)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=64)],
                         description=_l("For example practice.signed_off, or practice. for "
                                        "every practice action."))
    object_type = StringField(_l("Object type"), validators=[Optional(), Length(max=64)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
