"""`flask notify send`: message by message, a bad one marked failed, nothing sent twice."""

import smtplib

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify_services
from lms.notify.models import OutboxMessage


class FakeSMTP:
    """Records what it is handed; refuses the addresses in `refuse`."""

    delivered: list = []
    refuse: set = set()

    def __init__(self, host, port, timeout):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        if message["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        assert "\n" not in message["Subject"]
        assert "\r" not in message["Subject"]
        self.delivered.append((message["To"], message["Subject"]))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.delivered, FakeSMTP.refuse = [], set()
    monkeypatch.setattr("lms.notify.services.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://127.0.0.1:2525")
    return FakeSMTP


def _outbox(app, *messages):
    with app.app_context():
        for to, subject in messages:
            db.session.add(OutboxMessage(to_address=to, subject=subject, body="Hello."))
        db.session.commit()


def _states(app):
    with app.app_context():
        return [(m.to_address, m.sent_at is not None, m.failed_at is not None)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_a_subject_with_a_line_break_neither_stops_the_run_nor_resends_earlier_mail(
        app, runner, smtp):
    # As in the incident: a reminder quoting text with CR/LF, between two ordinary ones.
    _outbox(app, ("a@example.org", "Reminder"),
            ("b@example.org", "Reminder: Ann\r\nBcc: everyone@example.org"),
            ("c@example.org", "Reminder"))
    assert "emails sent: 3, failed: 0" in runner.invoke(args=["notify", "send"]).output
    assert ("b@example.org", "Reminder: Ann Bcc: everyone@example.org") in smtp.delivered
    assert runner.invoke(args=["notify", "send"]).output.startswith("emails sent: 0")
    assert [to for to, _ in smtp.delivered] == ["a@example.org", "b@example.org",
                                               "c@example.org"]


def test_a_refused_message_is_marked_failed_and_the_others_go_on(app, runner, smtp):
    smtp.refuse = {"gone@example.org"}
    _outbox(app, ("a@example.org", "One"), ("gone@example.org", "Two"),
            ("c@example.org", "Three"))
    assert "emails sent: 2, failed: 1" in runner.invoke(args=["notify", "send"]).output
    assert _states(app) == [("a@example.org", True, False), ("gone@example.org", False, True),
                            ("c@example.org", True, False)]
    # never retried, never repeats the others
    assert "emails sent: 0, failed: 0" in runner.invoke(args=["notify", "send"]).output
    assert len(smtp.delivered) == 2


def test_each_message_is_recorded_as_it_goes_so_a_lost_connection_resends_nothing(
        app, runner, smtp, monkeypatch):
    _outbox(app, ("a@example.org", "One"), ("b@example.org", "Two"))
    real_send = FakeSMTP.send_message

    def drop_on_second(self, message):
        if message["To"] == "b@example.org":
            raise smtplib.SMTPServerDisconnected("connection lost")
        real_send(self, message)

    monkeypatch.setattr(FakeSMTP, "send_message", drop_on_second)
    result = runner.invoke(args=["notify", "send"])
    assert result.exit_code == 1
    assert "emails sent: 1" in result.output
    assert _states(app) == [("a@example.org", True, False), ("b@example.org", False, False)]
    monkeypatch.setattr(FakeSMTP, "send_message", real_send)
    assert "emails sent: 1, failed: 0" in runner.invoke(args=["notify", "send"]).output
    assert [to for to, _ in smtp.delivered] == ["a@example.org", "b@example.org"]


def test_notification_subjects_are_one_line(app, make_user):
    user = make_user(email="p@example.org")
    with app.app_context():
        notify_services.notify(db.session.get(User, user.id), "Reminder from\r\nAnn\x1b")
        db.session.flush()
        subject = db.session.scalar(select(OutboxMessage.subject))
        assert subject == "Restorative LMS: Reminder from Ann"
        db.session.rollback()
