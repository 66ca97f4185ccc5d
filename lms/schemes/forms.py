import re

from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from lms.areas.reference import force_areas, local_authorities, local_authority
from lms.extensions import db
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.schemes.models import REGIONS, Scheme, Sector

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SchemeForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the scheme's name.")),
                                               Length(max=120)])
    slug = StringField(
        _l("Short name for addresses"),
        validators=[DataRequired(_l("Enter a short name.")), Length(max=64)],
        description=_l("Lowercase letters, digits and hyphens, e.g. hmp-northfield."),
    )
    sector = SelectField(_l("Sector"), choices=choices((s.value, s.label) for s in Sector))
    region = SelectField(_l("Region"), choices=choices((r, r) for r in REGIONS))
    police_force_code = SelectField(  # no Optional(): its validate_ must see it empty
        _l("Police force area"), default="",
        description=_l("The police and crime commissioner's area the scheme serves; its "
                       "figures are counted there."))
    local_authority_code = SelectField(_l("Local authority (optional)"), default="",
                                       validators=[Optional()])

    def __init__(self, *args, scheme: Scheme | None = None, **kwargs):
        super().__init__(*args, obj=scheme, **kwargs)
        self.scheme = scheme
        self.police_force_code.choices = choices([("", _l("Choose an area")), *(
            (a.code, a.local_name()) for a in force_areas().values())])
        self.local_authority_code.choices = choices([("", _l("None chosen")), *(
            (la.code, la.name) for la in local_authorities().values())])
        for field in (self.police_force_code, self.local_authority_code):
            field.data = field.data or ""  # a scheme without an area has None

    def _taken(self, column, value):
        query = select(Scheme.id).where(func.lower(column) == value.strip().lower())
        if self.scheme is not None:
            query = query.where(Scheme.id != self.scheme.id)
        return db.session.scalar(query.limit(1)) is not None

    def validate_name(self, field):
        if self._taken(Scheme.name, field.data):
            raise ValidationError(_("Another scheme already has this name."))

    def validate_slug(self, field):
        field.data = field.data.strip().lower()
        if not SLUG_PATTERN.match(field.data):
            raise ValidationError(_("Use only lowercase letters, digits and single hyphens."))
        if self._taken(Scheme.slug, field.data):
            raise ValidationError(_("Another scheme already uses this short name."))

    def validate_police_force_code(self, field):
        # Required for new schemes; schemes made before areas were recorded may lack one.
        if not field.data and (self.scheme is None or self.scheme.police_force_code):
            raise ValidationError(_l("Choose the police force area the scheme serves."))

    def validate_local_authority_code(self, field):
        authority = local_authority(field.data)
        if authority and self.police_force_code.data \
                and authority.force_code != self.police_force_code.data:
            raise ValidationError(_l("That local authority is in another police force area."))
