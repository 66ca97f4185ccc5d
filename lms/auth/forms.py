from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms.auth import passwords
from lms.auth.models import LANGUAGES
from lms.auth.services import email_in_use
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import lazy_ngettext


class LoginForm(BaseForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=1024)]
    )


class NewPasswordForm(BaseForm):
    """Set or change one's own password. `current_password` is removed when the person has
    just signed in with a one-time password."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password."))],
        description=lazy_ngettext(
            "At least %(num)d character. A few unrelated words together make a strong password "
            "that is easy to remember.",
            "At least %(num)d characters. A few unrelated words together make a strong password "
            "that is easy to remember.", passwords.MIN_LENGTH),
    )
    confirm_password = PasswordField(
        _l("New password again"), validators=[DataRequired(_l("Enter the new password again."))]
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_new_password(self, field):
        problem = passwords.password_problem(
            field.data, username=self.user.username, display_name=self.user.display_name
        )
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_("The two new passwords are not the same."))


class ProfileForm(BaseForm):
    display_name = StringField(
        _l("Name shown to others"), validators=[DataRequired(_l("Enter your name.")),
                                                Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[Optional(), Email(_l("Enter an email address like name@example.org.")),
                    Length(max=254)],
        description=_l("Optional. Leave empty if you have no email address."),
    )
    #: Each language by its own name ("Cymraeg", "English"), as language choices are shown.
    preferred_language = SelectField(_l("Preferred language"), choices=choices(LANGUAGES.items()))
    listed_publicly = BooleanField(
        _l("List me on the public register"),
        description=_l("Your name, level, scheme, status and expiry date are shown to anyone. "
                       "Nothing about your cases or contact details is ever shown."))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, obj=user, **kwargs)
        self.user = user

    def validate_email(self, field):
        if field.data and email_in_use(field.data, exclude_user_id=self.user.id):
            raise ValidationError(_("Another account already uses this email address."))


class ForgottenPasswordForm(BaseForm):
    account = StringField(
        _l("Username or email address"),
        validators=[DataRequired(_l("Enter your username or email address.")),
                    Length(max=254)])
