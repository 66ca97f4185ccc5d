from datetime import timedelta

from sqlalchemy import func, select

from lms import clock
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notify import services as notify_services
from lms.notify.models import Notification, OutboxMessage
from lms.practice.models import CpdEntry, RecognisedSupervisor, SupervisionSession
from tests.helpers import login_as
from tests.practice.conftest import create_record


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _days_ago(n):
    return (clock.today() - timedelta(days=n)).isoformat()


def test_supervision_is_recorded_confirmed_and_clears_overdue(app, practice_scheme):
    sup = practice_scheme
    practitioner = login_as(app, sup.practitioner)
    assert "no confirmed supervision on record" in practitioner.get(
        "/supervision/").get_data(as_text=True)
    supervisor = login_as(app, sup.supervisor)
    response = supervisor.post("/supervision/new", data={
        "practitioner": sup.practitioner.username, "held_on": _days_ago(3),
        "duration_minutes": 60, "notes": "Discussed preparation for a complex case."})
    assert response.status_code == 302
    with app.app_context():
        session_id = db.session.scalar(select(SupervisionSession.id))
    assert "Waiting for the practitioner" in practitioner.get(
        "/supervision/").get_data(as_text=True)
    practitioner.post(f"/supervision/{session_id}/confirm")
    page = practitioner.get("/supervision/").get_data(as_text=True)
    assert "the next is due by" in page
    assert "overdue" not in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["supervision.recorded", "supervision.confirmed"]


def test_supervision_notes_pass_the_privacy_guard_and_scheme_rules(app, practice_scheme):
    supervisor = login_as(app, practice_scheme.supervisor)
    response = supervisor.post("/supervision/new", data={
        "practitioner": practice_scheme.practitioner.username, "held_on": _days_ago(1),
        "duration_minutes": 45, "notes": "Victim lives at 14 Acacia Avenue, SW1A 1AA."})
    page = response.get_data(as_text=True)
    assert "a postcode" in page
    assert "a street address" in page
    assert "14 Acacia Avenue" in page
    outsider = login_as(app, practice_scheme.other_supervisor)
    response = outsider.post("/supervision/new", data={
        "practitioner": practice_scheme.practitioner.username, "held_on": _days_ago(1),
        "duration_minutes": 45, "notes": ""})
    assert "in a scheme where you supervise" in response.get_data(as_text=True)
    assert _count(app, SupervisionSession) == 0


def test_only_the_practitioner_confirms(app, practice_scheme):
    supervisor = login_as(app, practice_scheme.supervisor)
    supervisor.post("/supervision/new", data={
        "practitioner": practice_scheme.practitioner.username, "held_on": _days_ago(1),
        "duration_minutes": 30, "notes": ""})
    with app.app_context():
        session_id = db.session.scalar(select(SupervisionSession.id))
    response = supervisor.post(f"/supervision/{session_id}/confirm", follow_redirects=True)
    assert "the practitioner confirms it" in response.get_data(as_text=True)
    colleague = login_as(app, practice_scheme.colleague)
    assert colleague.get(f"/supervision/{session_id}").status_code == 404
    assert _count(app, SupervisionSession,
                  SupervisionSession.practitioner_confirmed_at.is_not(None)) == 0


def test_notify_due_tells_overdue_practitioners_once_a_day(app, practice_scheme, runner):
    sup = practice_scheme
    create_record(login_as(app, sup.practitioner), sup.scheme.id)
    with app.app_context():
        db.session.add(SupervisionSession(
            supervisor_id=sup.supervisor.id, practitioner_id=sup.colleague.id,
            scheme_id=sup.scheme.id, held_on=clock.today() - timedelta(days=7),
            duration_minutes=60, supervisor_confirmed_at=clock.utcnow(),
            practitioner_confirmed_at=clock.utcnow()))
        db.session.commit()
    create_record(login_as(app, sup.colleague), sup.scheme.id)
    result = runner.invoke(args=["notify", "due"])
    assert result.exit_code == 0
    # the practitioner (never supervised) and the 3 supervisors of the scheme; not the colleague
    assert "4 new notifications" in result.output
    assert _count(app, Notification, Notification.user_id == sup.colleague.id) == 0
    again = runner.invoke(args=["notify", "due"])
    assert "0 new notifications" in again.output
    assert _count(app, Notification) == 4
    assert _count(app, OutboxMessage) == 2  # only people with an email address


def test_cpd_log_totals_and_approval_rules(app, practice_scheme, make_user):
    sup = practice_scheme
    practitioner = login_as(app, sup.practitioner)
    for hours, activity in [("2.5", "Workshop on shuttle processes"), ("1.5", "Reading")]:
        response = practitioner.post("/cpd/", data={"done_on": _days_ago(10), "hours": hours,
                                                    "activity": activity, "provider": "RJ hub"})
        assert response.status_code == 302
    response = practitioner.post("/cpd/", data={"done_on": _days_ago(1), "hours": "0",
                                                "activity": "X", "provider": ""})
    page = response.get_data(as_text=True)
    assert "Between 0.25 and 100 hours." in page
    assert "Who provided it?" in page
    page = practitioner.get("/cpd/").get_data(as_text=True)
    assert "<td>4.0</td><td>0.0</td>" in page
    assert "more approved CPD" in page  # the same words as on the pathway
    with app.app_context():
        entry_id = db.session.scalar(select(CpdEntry.id).where(CpdEntry.hours == 2.5))
    # trainees cannot approve, not even their own
    assert practitioner.post(f"/cpd/{entry_id}/approve").status_code == 403
    outsider = login_as(app, make_user(role="trainer", scheme=_other_scheme(app, sup)))
    assert outsider.post(f"/cpd/{entry_id}/approve").status_code == 404
    trainer = login_as(app, make_user(role="trainer", scheme=sup.scheme))
    assert "Workshop on shuttle processes" in trainer.get("/cpd/to-approve").get_data(
        as_text=True)
    trainer.post(f"/cpd/{entry_id}/approve")
    page = practitioner.get("/cpd/").get_data(as_text=True)
    assert "<td>4.0</td><td>2.5</td>" in page
    assert "62%" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["cpd.created", "cpd.created", "cpd.approved"]


def _other_scheme(app, sup):
    from types import SimpleNamespace

    from lms.schemes.models import Membership
    with app.app_context():
        scheme_id = db.session.scalar(select(Membership.scheme_id).where(
            Membership.user_id == sup.other_supervisor.id))
    return SimpleNamespace(id=scheme_id)


def test_admin_recognises_a_supervisor_with_a_reason_in_the_audit_trail(app, practice_scheme,
                                                                      make_user):
    admin = login_as(app, make_user(is_admin=True))
    response = admin.post("/admin/supervisors", data={"username": "nobody", "reason": "x"})
    assert "No account has this username." in response.get_data(as_text=True)
    response = admin.post("/admin/supervisors", data={
        "username": practice_scheme.unrecognised.username,
        "reason": "Experienced supervisor starting the new scheme."})
    assert response.status_code == 302
    response = admin.post("/admin/supervisors", data={
        "username": practice_scheme.unrecognised.username, "reason": "again"})
    assert "already a recognised supervisor" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecognisedSupervisor)) == 4
        event = db.session.scalar(select(AuditEvent))
        assert event.action == "supervisor.recognised"
        assert event.object_id == str(practice_scheme.unrecognised.id)
        assert "reason" not in event.payload  # free text stays out of the chain
    lead = login_as(app, practice_scheme.supervisor)
    assert lead.get("/admin/supervisors").status_code == 403


def test_notifications_page_and_admin_outbox(app, practice_scheme, make_user):
    with app.app_context():
        from lms.auth.models import User
        user = db.session.get(User, practice_scheme.practitioner.id)
        notify_services.notify(user, "Your record was signed off.", "/practice/")
        db.session.commit()
    client = login_as(app, practice_scheme.practitioner)
    assert ">1</span>" in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your record was signed off." in page
    client.post("/notifications/read")
    assert _count(app, Notification, Notification.read_at.is_(None)) == 0
    assert client.get("/admin/outbox").status_code == 403
    admin = login_as(app, make_user(is_admin=True))
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "p@example.org" in page
    assert "Your record was signed off." in page


def test_notify_send_uses_smtp_when_configured(app, practice_scheme, runner, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.address = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def login(self, user, password):
            sent.append(("login", user, password))

        def send_message(self, message):
            sent.append(("to", message["To"], message["Subject"]))

    monkeypatch.setattr("lms.notify.services.smtplib.SMTP", FakeSMTP)
    with app.app_context():
        from lms.auth.models import User
        notify_services.notify(db.session.get(User, practice_scheme.practitioner.id), "Hello.")
        db.session.commit()
    assert "emails sent: 0" in runner.invoke(args=["notify", "send"]).output
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://mailer:s3cret@127.0.0.1:2525")
    assert "emails sent: 1, failed: 0" in runner.invoke(args=["notify", "send"]).output
    assert ("login", "mailer", "s3cret") in sent
    assert ("to", "p@example.org",
                                                       "Restorative LMS: Hello.") in sent
    assert _count(app, OutboxMessage, OutboxMessage.sent_at.is_(None)) == 0
    assert "emails sent: 0" in runner.invoke(args=["notify", "send"]).output
