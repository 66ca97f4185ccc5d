from datetime import timedelta

from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from lms import clock
from lms.forms import BaseForm, choices
from lms.reports.delivery import Period
from lms.reports.practitioners import STATUS_FILTERS

MAX_PERIOD_DAYS = 5 * 366


class PeriodForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.utcnow().date()
        self.default_end = today
        self.default_start = today.replace(day=1) - timedelta(days=334)

    def validate_end(self, field):
        start = self.start.data or self.default_start
        end = field.data or self.default_end
        if end < start:
            raise ValidationError("The end of the period must be after its start.")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError("Choose a period of at most five years.")

    def period(self) -> Period:
        if self.errors:
            return Period(self.default_start, self.default_end)
        return Period(self.start.data or self.default_start, self.end.data or self.default_end)


class PractitionerFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Name or username", validators=[Optional(), Length(max=100)])
    level = SelectField("Holds level", validators=[Optional()])
    status = SelectField("Accreditation", validators=[Optional()],
                         choices=choices([("", "Anyone"), *STATUS_FILTERS.items()]))

    def __init__(self, level_names, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = choices([("", "Any level"), *level_names.items()])
