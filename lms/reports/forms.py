from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from lms import clock
from lms.areas.reference import force_areas
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import ngettext
from lms.privacy.validators import no_identifying_data
from lms.reports.area_figures import GROUPINGS
from lms.reports.delivery import Period
from lms.reports.practitioners import STATUS_FILTERS
from lms.schemes.models import Sector


class BulkReminderForm(BaseForm):
    """The message of a reminder a lead sends to selected practitioners (in the app and by
    email). It goes to many people at once, so it must name nobody: the privacy guard."""

    message = TextAreaField(_l("Message"), validators=[
        Optional(), Length(max=300, message=_l("Keep the message to 300 characters.")),
        no_identifying_data])


class PeriodForm(BaseForm):
    """The reporting period. Its bounds are configuration (REPORT_PERIOD_EARLIEST,
    REPORT_PERIOD_MAX_DAYS): a start in year 1 once drew 24,000 months of charts."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.default_end = today
        self.default_start = today.replace(day=1) - timedelta(days=334)
        self.earliest = date.fromisoformat(current_app.config["REPORT_PERIOD_EARLIEST"])
        self.max_days = current_app.config["REPORT_PERIOD_MAX_DAYS"]
        self.latest = today + timedelta(days=self.max_days)

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the period as a whole (either date may be left empty)."""
        if not super().validate(extra_validators):
            return False
        problem_field, problem = self.period_problem(
            self.start.data or self.default_start, self.end.data or self.default_end)
        if problem:
            problem_field.errors.append(problem)
            return False
        return True

    def period_problem(self, start, end):
        """(field, message) for a period the dashboards refuse, else (None, None)."""
        if start < self.earliest:
            return self.start, _("Choose a start on or after %(date)s.",
                                 date=format_date(self.earliest, "dd MMMM y"))
        if end > self.latest:
            return self.end, _("Choose an end on or before %(date)s.",
                               date=format_date(self.latest, "dd MMMM y"))
        if end < start:
            return self.end, _("The end of the period must be after its start.")
        if (end - start).days > self.max_days:
            years = self.max_days // 366
            return self.end, ngettext("Choose a period of at most %(num)d year.",
                                      "Choose a period of at most %(num)d years.", years)
        return None, None

    def period(self) -> Period:
        if self.errors:
            return Period(self.default_start, self.default_end)
        return Period(self.start.data or self.default_start, self.end.data or self.default_end)


class PractitionerFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or username"), validators=[Optional(), Length(max=100)])
    level = SelectField(_l("Holds level"), validators=[Optional()])
    status = SelectField(_l("Accreditation"), validators=[Optional()],
                         choices=choices([("", _l("Anyone")), *STATUS_FILTERS.items()]))

    def __init__(self, level_names, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = choices([("", _("Any level")), *level_names.items()])


class FiguresForm(PeriodForm):
    """The period, how to group schemes, and an optional area and sector to narrow to."""

    group = SelectField(_l("Group schemes by"), validators=[Optional()])
    area = SelectField(_l("Police force area"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group.choices = choices(GROUPINGS.items())
        self.area.choices = choices([("", _l("Every area")), *(
            (a.code, a.local_name()) for a in force_areas().values())])
        self.sector.choices = choices([("", _l("Every sector")),
                                       *((s.value, s.label) for s in Sector)])
