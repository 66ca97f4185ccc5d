from __future__ import annotations

import re

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import TimeField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from lms import clock
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.i18n import locale_name
from lms.learning.languages import shown_option
from lms.learning.papers import PaperQuestion, fingerprint
from lms.timezones import to_utc


class SessionForm(BaseForm):
    course = SelectField(_l("Course"), coerce=int)
    scheme = SelectField(_l("Scheme"), coerce=int)
    day = DateField(_l("Date"),
                    validators=[DataRequired(_l("Enter the date, e.g. 2027-03-14."))])
    start = TimeField(_l("Starts at (UK time)"),
                      validators=[DataRequired(_l("Enter a start time."))])
    end = TimeField(_l("Ends at (UK time)"),
                    validators=[DataRequired(_l("Enter an end time."))])
    online = BooleanField(_l("Online session"))
    location = StringField(
        _l("Place or joining details"),
        validators=[DataRequired(_l("Say where it happens, or how to join online.")),
                    Length(max=200)],
        description=_l("For example: Education block, room 4. Or the online meeting details."),
    )
    capacity = IntegerField(
        _l("Places"), validators=[InputRequired(_l("Enter the number of places.")),
                                  NumberRange(1, 500, _l("Between 1 and 500 places."))])

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices((c.id, str(c.current_version.local_title)) for c in courses)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_("The session must end after it starts."))

    def validate_day(self, field):
        if field.data and self.start.data and to_utc(field.data, self.start.data) < clock.utcnow():
            raise ValidationError(_("Choose a date and time in the future."))


class EnrolForm(BaseForm):
    course = SelectField(_l("Course"), coerce=int)
    scheme = SelectField(_l("Scheme"), coerce=int)
    usernames = TextAreaField(
        _l("Usernames"), validators=[Optional(), Length(max=200_000)],
        description=_l("One username per line (or separated by commas)."),
    )
    file = FileField(_l("Or a CSV file of usernames"),
                     description=_l("A column headed “username”, or one username per line."))

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices((c.id, str(c.current_version.local_title)) for c in courses)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)


class EnrolConfirmForm(BaseForm):
    course = IntegerField(validators=[DataRequired()])
    scheme = IntegerField(validators=[DataRequired()])
    usernames = TextAreaField(validators=[DataRequired()])


class LearnerFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(_l("Search name or username"), validators=[Optional(), Length(max=100)])
    course = SelectField(_l("Course"), validators=[Optional()])
    scheme = SelectField(_l("Scheme"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=choices([
        ("", _l("Any status")), ("not started", _l("Not started")),
        ("in progress", _l("In progress")), ("completed", _l("Completed"))]))

    def __init__(self, courses, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices(
            [("", _("All courses")),
             *((c.slug, str(c.current_version.local_title)) for c in courses)])
        self.scheme.choices = choices([("", _("All my schemes")), *((s.slug, s.name)
                                                                  for s in schemes)])


NOT_SHOWN = _l("Choose from the answers shown.")
#: Form classes made for papers: (check hash, paper fingerprint, attempt, language) -> class.
_paper_forms: dict[tuple, type[KnowledgeCheckForm]] = {}
KEPT_PAPER_FORMS = 4096  #: far more papers than are open at once; cleared when full
PAPER_CHANGED = _l("This check changed after you opened it. Please answer it again.")


class AnswerField(RadioField):
    """One answer, by its position on the paper; junk gets a plain message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            raise ValueError(NOT_SHOWN) from err

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(NOT_SHOWN)


class AnswersField(SelectMultipleField):
    """Every answer that applies, by position on the paper."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            raise ValueError(NOT_SHOWN) from err

    def pre_validate(self, form):
        if not set(self.data or ()) <= {choice.value for choice in self.choices}:
            raise ValidationError(NOT_SHOWN)


class KnowledgeCheckForm(BaseForm):
    """Answers to one attempt's paper: a field per question, named q<question id>, whose
    values are positions on the paper (mapped back to the course file's options here)."""

    #: The attempt this paper belongs to; a stale number means it was already submitted.
    attempt = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    #: A fingerprint of the paper shown: answers are positions, so they are only read
    #: against the same paper (not one reshuffled after a new secret key or check).
    shown = StringField(widget=HiddenInput())
    paper: list[PaperQuestion] = []

    @classmethod
    def for_paper(cls, paper: list[PaperQuestion], number: int,
                  check_hash: str) -> KnowledgeCheckForm:
        """The form for attempt `number` on `paper` of the check whose content hash is
        `check_hash`. Its class is made once per paper, attempt and language and kept:
        making a form class of a field per question cost a tenth of the check page, and a
        learner sees the same paper on every view until they answer it."""
        shown = fingerprint(paper)
        key = (check_hash, shown, number, locale_name())
        form_class = _paper_forms.get(key)
        if form_class is None:
            if len(_paper_forms) >= KEPT_PAPER_FORMS:
                _paper_forms.clear()
            form_class = _paper_forms[key] = cls._paper_class(paper, number, shown)
        form = form_class()
        form.paper = paper  # this request's questions, never a kept class's
        return form

    @classmethod
    def _paper_class(cls, paper: list[PaperQuestion], number: int,
                     shown: str) -> type[KnowledgeCheckForm]:
        fields = {"attempt": IntegerField(widget=HiddenInput(), default=number,
                                          validators=[InputRequired()]),
                  "shown": StringField(widget=HiddenInput(), default=shown)}
        for item in paper:
            question = item.question
            options = choices((position, str(shown_option(question, index)))
                              for position, (index, _option) in enumerate(item.shown()))
            if question.kind == "single":
                fields[f"q{question.id}"] = AnswerField(
                    question.prompt, choices=options, coerce=int,
                    validators=[InputRequired(_("Choose one answer."))])
            else:
                fields[f"q{question.id}"] = AnswersField(
                    question.prompt, choices=options, coerce=int,
                    validators=[InputRequired(_("Choose at least one answer."))])
        return type("PaperForm", (cls,), fields)

    def validate_shown(self, field):
        if field.data != fingerprint(self.paper):
            raise ValidationError(PAPER_CHANGED)

    def field_for(self, item: PaperQuestion):
        return self[f"q{item.question.id}"]

    def chosen_positions(self, item: PaperQuestion) -> set[int]:
        data = self.field_for(item).data
        if data is None:
            return set()
        return set(data) if isinstance(data, list) else {data}

    def answers(self) -> dict[int, set[int]]:
        """{question id: chosen option indices as in the course file}."""
        return {item.question.id: {item.order[p] for p in self.chosen_positions(item)
                                   if 0 <= p < len(item.order)}
                for item in self.paper}


class PaperResultForm(BaseForm):
    """The result of a knowledge check sat on paper, entered by a trainer."""

    learner = SelectField(_l("Learner"), coerce=int,
                          validators=[InputRequired(_l("Choose the learner."))])
    taken_on = DateField(_l("Date the paper was sat"),
                         validators=[DataRequired(_l("Enter the date, e.g. 2027-03-14."))])
    correct = IntegerField(_l("Questions answered correctly"),
                           validators=[InputRequired(_l("Enter the number of correct answers."))])

    def __init__(self, enrolments, total: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.total = total
        self.learner.choices = choices(
            [(0, _("Choose a learner")),
             *((e.id, f"{e.user.display_name} ({e.user.username})") for e in enrolments)])
        self.correct.description = _("Out of %(total)d.", total=total)

    def validate_learner(self, field):
        if field.data == 0:
            raise ValidationError(_("Choose the learner."))

    def validate_taken_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_("The date cannot be in the future."))

    def validate_correct(self, field):
        if field.data is not None and not 0 <= field.data <= self.total:
            raise ValidationError(_("Enter a number from 0 to %(total)d.", total=self.total))


HOURS_MESSAGE = _l("Enter hours as a number from 0 to 24, e.g. 6.5.")


def hours_or_none(text: str | None) -> float | None:
    """Hours typed as 0 to 24 with up to two decimals; None when blank. Digits only, since
    float() would accept "nan" and "inf"."""
    text = (text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{1,2}(\.\d{1,2})?", text) or float(text) > 24:
        raise ValueError(HOURS_MESSAGE)
    return float(text)


def valid_hours(_form, field):
    try:
        hours_or_none(field.data)
    except ValueError as err:
        raise ValidationError(str(err)) from err


class RegisterEntryForm(BaseForm):
    """A signed attendance register, entered after the session."""

    usernames = TextAreaField(
        _l("Who attended"), validators=[DataRequired(_l("Enter the usernames of the people who "
                                                     "attended.")), Length(max=20_000)],
        description=_l("Usernames from the signed register, one per line. People who had not "
                       "booked are added to the session."))
    hours = StringField(_l("Hours attended"), validators=[Length(max=10), valid_hours],
                        description=_l("Leave blank for the whole session."))
    others_absent = BooleanField(_l("Mark everyone else who booked as not attended"))

    @property
    def hours_value(self) -> float | None:
        return hours_or_none(self.hours.data)


class AttendanceForm(BaseForm):
    """Attendance per booking: fields attended-<booking id> and hours-<booking id>."""

    bookings: list = []

    @classmethod
    def for_bookings(cls, bookings) -> AttendanceForm:
        fields: dict[str, object] = {"bookings": bookings}
        for b in bookings:
            fields[f"attended-{b.id}"] = BooleanField(_("attended"), default=bool(b.attended))
            fields[f"hours-{b.id}"] = StringField(
                _("Hours for %(name)s", name=b.user.display_name),
                validators=[Length(max=10), valid_hours],
                default="" if not b.attended or b.hours_attended is None
                else f"{b.hours_attended:g}")
        return type("BookingsAttendanceForm", (cls,), fields)()

    def marks(self) -> dict[int, tuple[bool, float | None]]:
        """{booking id: (attended, hours or None for the whole session)}."""
        return {b.id: (self[f"attended-{b.id}"].data, hours_or_none(self[f"hours-{b.id}"].data))
                for b in self.bookings}
