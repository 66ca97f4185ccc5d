import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from lms.extensions import db
from lms.forms import BaseForm, choices
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

    def __init__(self, *args, scheme: Scheme | None = None, **kwargs):
        super().__init__(*args, obj=scheme, **kwargs)
        self.scheme = scheme

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
