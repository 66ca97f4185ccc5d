"""Issue 12: a lead's bulk reminder goes to many people (in the app and by email), so its
message runs the privacy guard like every other free-text field."""

from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notify.models import Notification, OutboxMessage
from lms.privacy.validators import NoIdentifyingData
from lms.reports.forms import BulkReminderForm
from tests.helpers import login_as

CONFIRM = "/reports/schemes/scheme-a/bulk/confirm"


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_message_field_carries_the_guard():
    validators = BulkReminderForm.message.kwargs["validators"]
    assert any(isinstance(v, NoIdentifyingData) for v in validators)


def test_a_reminder_naming_a_participant_is_refused_and_nothing_is_sent(app, known_scheme):
    k = known_scheme
    lead = login_as(app, k.lead)
    chosen = {"user": [str(k.p1.id), str(k.p2.id)], "action": "remind"}
    text = "Remember Kyle in cell 3-14 on C wing needs his follow-up."
    response = lead.post(CONFIRM, data={**chosen, "message": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert text in page  # the lead's text is kept to correct
    assert _count(app, Notification) == 0
    assert _count(app, OutboxMessage) == 0
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "reminders.sent")) is None


def test_a_clean_reminder_is_sent_to_each_person(app, known_scheme):
    k = known_scheme
    lead = login_as(app, k.lead)
    response = lead.post(CONFIRM, data={"user": [str(k.p1.id), str(k.p2.id)],
                                        "action": "remind",
                                        "message": "Please log your CPD before the review."})
    assert response.status_code == 302
    with app.app_context():
        messages = db.session.scalars(select(Notification.message)).all()
    assert messages == ["Please log your CPD before the review."] * 2


def test_the_preview_offers_the_default_message(app, known_scheme):
    k = known_scheme
    page = login_as(app, k.lead).post("/reports/schemes/scheme-a/bulk", data={
        "user": [str(k.p1.id)], "action": "remind"}).get_data(as_text=True)
    assert "A reminder from your scheme lead" in page
    assert 'maxlength="300"' in page
