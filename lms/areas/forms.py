from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.areas.reference import force_areas
from lms.auth.services import find_user_by_username
from lms.forms import BaseForm, choices
from lms.i18n import lazy_gettext as _l
from lms.schemes.models import Sector

SCOPE_CHOICES = (
    ("area", _l("A police force area")),
    ("sector", _l("A sector")),
    ("scheme", _l("One scheme")),
    ("national", _l("Every scheme (national)")),
)


class GrantViewerForm(BaseForm):
    """Let someone see figures (never case text) for an area, a sector, a scheme or all."""

    username = StringField(_l("Username of the person"),
                           validators=[DataRequired(_l("Enter a username.")), Length(max=64)])
    kind = SelectField(_l("They may see"), choices=choices(SCOPE_CHOICES))
    #: Not Optional(): the validate_ methods below must run when the field is empty.
    force_code = SelectField(_l("Police force area"), default="")
    sector = SelectField(_l("Sector"), default="",
                         choices=choices([("", _l("Choose a sector")),
                                          *((s.value, s.label) for s in Sector)]))
    scheme = SelectField(_l("Scheme"), default="")

    def __init__(self, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = None
        self.force_code.choices = choices([("", _l("Choose an area")), *(
            (a.code, a.local_name()) for a in force_areas().values())])
        self.scheme.choices = choices([("", _l("Choose a scheme")),
                                       *((str(s.id), s.name) for s in schemes)])

    def validate_username(self, field):
        self.person = find_user_by_username(field.data or "")
        if self.person is None:
            raise ValidationError(_l("Nobody has that username."))

    def validate_force_code(self, field):
        if self.kind.data == "area" and not field.data:
            raise ValidationError(_l("Choose the police force area."))

    def validate_sector(self, field):
        if self.kind.data == "sector" and not field.data:
            raise ValidationError(_l("Choose the sector."))

    def validate_scheme(self, field):
        if self.kind.data == "scheme" and not field.data:
            raise ValidationError(_l("Choose the scheme."))
