from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.forms import choices
from lms.privacy.validators import no_identifying_data


class DecisionForm(FlaskForm):
    outcome = RadioField("Decision", choices=choices([
        ("approved", "Approve and issue the accreditation"),
        ("further work needed", "Further work needed"),
        ("not accepted", "Not accepted")]),
        validators=[InputRequired("Choose a decision.")])
    reasons = TextAreaField("Reasons", validators=[DataRequired("Give the reasons for the "
                                                                "decision."), Length(max=5000),
                                                 no_identifying_data])


class LifecycleForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason; it is kept in "
                                                              "the record's history."),
                                                 Length(max=2000), no_identifying_data])


class RegisterSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a public GET search changes nothing

    q = StringField("Name or identifier", validators=[Optional(), Length(max=100)])
    scheme = StringField("Scheme", validators=[Optional(), Length(max=120)])
    level = StringField("Level", validators=[Optional(), Length(max=40)])
    region = StringField("Region", validators=[Optional(), Length(max=64)])
    status = StringField("Status", validators=[Optional(), Length(max=30)])
    sector = StringField("Sector", validators=[Optional(), Length(max=30)])


class PasteCredentialForm(FlaskForm):
    token = TextAreaField("Certificate number or credential", validators=[
        DataRequired("Type the certificate number, or paste the credential (the long text "
                     "starting with “ey”)."),
        Length(max=20_000, message="That is far longer than any credential.")])


class BulkCheckForm(FlaskForm):
    numbers = TextAreaField("Certificate numbers", validators=[
        Optional(), Length(max=40_000, message="That is more than we check at once.")],
        description="One per line, or separated by commas; dashes optional.")
    file = FileField("Or a CSV file", description="Certificate numbers in any column.")
