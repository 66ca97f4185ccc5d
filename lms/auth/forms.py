from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from lms.auth import passwords
from lms.auth.models import LANGUAGES
from lms.auth.services import email_in_use
from lms.forms import BaseForm, choices


class LoginForm(BaseForm):
    username = StringField(
        "Username", validators=[DataRequired("Enter your username."), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=1024)]
    )


class NewPasswordForm(BaseForm):
    """Set or change one's own password. `current_password` is removed when the person has
    just signed in with a one-time password."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password.")],
        description=f"At least {passwords.MIN_LENGTH} characters. "
        "A few unrelated words together make a strong password that is easy to remember.",
    )
    confirm_password = PasswordField(
        "New password again", validators=[DataRequired("Enter the new password again.")]
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
            raise ValidationError("The two new passwords are not the same.")


class ProfileForm(BaseForm):
    display_name = StringField(
        "Name shown to others", validators=[DataRequired("Enter your name."), Length(max=120)]
    )
    email = EmailField(
        "Email address",
        validators=[Optional(), Email("Enter an email address like name@example.org."),
                    Length(max=254)],
        description="Optional. Leave empty if you have no email address.",
    )
    preferred_language = SelectField("Preferred language", choices=choices(LANGUAGES.items()))
    listed_publicly = BooleanField(
        "List me on the public register",
        description="Your name, level, scheme, status and expiry date are shown to anyone. "
        "Nothing about your cases or contact details is ever shown.")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, obj=user, **kwargs)
        self.user = user

    def validate_email(self, field):
        if field.data and email_in_use(field.data, exclude_user_id=self.user.id):
            raise ValidationError("Another account already uses this email address.")


class ForgottenPasswordForm(BaseForm):
    account = StringField(
        _l("Username or email address"),
        validators=[DataRequired(_l("Enter your username or email address.")),
                    Length(max=254)])
