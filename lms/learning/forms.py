from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import TimeField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms import clock
from lms.forms import BaseForm, choices
from lms.timezones import to_utc


class SessionForm(BaseForm):
    course = SelectField("Course", coerce=int)
    scheme = SelectField("Scheme", coerce=int)
    day = DateField("Date", validators=[DataRequired("Enter the date, e.g. 2027-03-14.")])
    start = TimeField("Starts at (UK time)", validators=[DataRequired("Enter a start time.")])
    end = TimeField("Ends at (UK time)", validators=[DataRequired("Enter an end time.")])
    online = BooleanField("Online session")
    location = StringField(
        "Place or joining details",
        validators=[DataRequired("Say where it happens, or how to join online."),
                    Length(max=200)],
        description="For example: Education block, room 4. Or the online meeting details.",
    )
    capacity = IntegerField(
        "Places", validators=[InputRequired("Enter the number of places."),
                              NumberRange(1, 500, "Between 1 and 500 places.")])

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices((c.id, c.current_version.title) for c in courses)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError("The session must end after it starts.")

    def validate_day(self, field):
        if field.data and self.start.data and to_utc(field.data, self.start.data) < clock.utcnow():
            raise ValidationError("Choose a date and time in the future.")


class EnrolForm(BaseForm):
    course = SelectField("Course", coerce=int)
    scheme = SelectField("Scheme", coerce=int)
    usernames = TextAreaField(
        "Usernames", validators=[Optional(), Length(max=200_000)],
        description="One username per line (or separated by commas).",
    )
    file = FileField("Or a CSV file of usernames",
                     description="A column headed “username”, or one username per line.")

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices((c.id, c.current_version.title) for c in courses)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)


class EnrolConfirmForm(BaseForm):
    course = IntegerField(validators=[DataRequired()])
    scheme = IntegerField(validators=[DataRequired()])
    usernames = TextAreaField(validators=[DataRequired()])


class LearnerFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField("Search name or username", validators=[Optional(), Length(max=100)])
    course = SelectField("Course", validators=[Optional()])
    scheme = SelectField("Scheme", validators=[Optional()])
    status = SelectField("Status", validators=[Optional()], choices=choices([
        ("", "Any status"), ("not started", "Not started"), ("in progress", "In progress"),
        ("completed", "Completed")]))

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices(
            [("", "All courses"), *((c.slug, c.current_version.title) for c in courses)])
        self.scheme.choices = choices([("", "All my schemes"), *((s.slug, s.name)
                                                                  for s in schemes)])
