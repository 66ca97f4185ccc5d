from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.forms import BaseForm, choices


class DecisionForm(BaseForm):
    outcome = RadioField("Decision", choices=choices([
        ("approved", "Approve and issue the accreditation"),
        ("further work needed", "Further work needed"),
        ("not accepted", "Not accepted")]),
        validators=[InputRequired("Choose a decision.")])
    reasons = TextAreaField("Reasons", validators=[DataRequired("Give the reasons for the "
                                                                "decision."), Length(max=5000)])


class LifecycleForm(BaseForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason; it is kept in "
                                                              "the record's history."),
                                                 Length(max=2000)])


class RegisterSearchForm(BaseForm):
    class Meta:
        csrf = False  # a public GET search changes nothing

    q = StringField("Name or identifier", validators=[Optional(), Length(max=100)])
    scheme = StringField("Scheme", validators=[Optional(), Length(max=120)])
    level = StringField("Level", validators=[Optional(), Length(max=40)])
    region = StringField("Region", validators=[Optional(), Length(max=64)])
    status = StringField("Status", validators=[Optional(), Length(max=30)])


class PasteCredentialForm(BaseForm):
    token = TextAreaField("Credential", validators=[
        DataRequired("Paste the credential (the long text starting with “ey”)."),
        Length(max=20_000, message="That is far longer than any credential.")])
