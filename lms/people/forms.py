from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms.auth.services import email_in_use, find_user_by_username
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.people.kinds import PERSON_KINDS
from lms.people.services import USERNAME_RULE, username_problem
from lms.schemes.models import Role


def role_choices():
    return [(r.value, r.label) for r in Role]


class SchemeRoleForm(BaseForm):
    scheme = SelectField(_l("Scheme"), coerce=int)
    role = SelectField(_l("Role"), choices=choices(role_choices()))

    def __init__(self, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)


class PersonForm(SchemeRoleForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter a username.")), Length(max=64)],
        description=_l("Used to sign in: %(rule)s.", rule=USERNAME_RULE),
    )
    display_name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the person's name.")),
                                     Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[Optional(), Email(_l("Enter an email address like name@example.org.")),
                    Length(max=254)],
        description=_l("Optional: leave empty for people without an email address."),
    )

    def validate_username(self, field):
        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)
        if find_user_by_username(field.data) is not None:
            raise ValidationError(_("That username is taken. Choose another."))

    def validate_email(self, field):
        if field.data and email_in_use(field.data):
            raise ValidationError(_("Another account already uses this email address."))


class ImportUploadForm(BaseForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Choose a CSV file to upload."))],
        description=_l("Columns: username, display_name, email (optional), role, scheme, "
                       "kind (optional)."),
    )


class ImportConfirmForm(BaseForm):
    #: The previewed file, sent back so the confirm step validates exactly what was shown.
    content = HiddenField(validators=[DataRequired()])


class PeopleFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search name, username or email"),
                    validators=[Optional(), Length(max=100)])
    scheme = SelectField(_l("Scheme"), validators=[Optional()])
    role = SelectField(_l("Role"), choices=choices([("", _l("Any role")), *role_choices()]),
                       validators=[Optional()])

    def __init__(self, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("All my schemes")), *((s.slug, s.name) for s in schemes)]
        self.scheme.choices = choices(options)


class PersonKindForm(BaseForm):
    """Staff, volunteer, prisoner or pupil: counted apart in the training figures."""

    kind = SelectField(_l("Kind of person"), validators=[Optional()],
                       choices=choices([("", _l("Not recorded")), *PERSON_KINDS.items()]))
