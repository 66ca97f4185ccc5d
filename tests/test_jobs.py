"""Scheduled jobs started on two nodes at once: one runs, the other does nothing and says so;
nothing is sent twice; a lease left by a crashed run expires."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import clock
from lms.extensions import db
from lms.jobs import services as jobs
from lms.jobs.models import JobLease
from lms.notify.models import OutboxMessage


class BlockingSMTP:
    """Delivers, but holds the first message until the test lets it go, so a second run
    starts while the first is mid-way."""

    delivered: list = []
    entered = threading.Event()
    release = threading.Event()

    def __init__(self, host, port, timeout):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        if not self.delivered:
            BlockingSMTP.entered.set()
            assert BlockingSMTP.release.wait(10), "the test never released the first send"
        self.delivered.append(message["To"])


@pytest.fixture
def smtp(app, monkeypatch):
    BlockingSMTP.delivered = []
    BlockingSMTP.entered, BlockingSMTP.release = threading.Event(), threading.Event()
    monkeypatch.setattr("lms.notify.services.smtplib.SMTP", BlockingSMTP)
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://127.0.0.1:2525")
    return BlockingSMTP


def test_two_sends_at_once_deliver_each_email_once(app, smtp):
    with app.app_context():
        for n in range(3):
            db.session.add(OutboxMessage(to_address=f"p{n}@example.org", subject="Hello",
                                         body="Hello."))
        db.session.commit()
    outputs = {}

    def first_node():
        outputs["first"] = app.test_cli_runner().invoke(args=["notify", "send"]).output

    node = threading.Thread(target=first_node)
    node.start()
    assert smtp.entered.wait(10)
    outputs["second"] = app.test_cli_runner().invoke(args=["notify", "send"]).output
    smtp.release.set()
    node.join(10)

    assert "notify-send: another run holds the lease" in outputs["second"]
    assert "nothing done" in outputs["second"]
    assert "emails sent: 3, failed: 0" in outputs["first"]
    assert sorted(smtp.delivered) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    with app.app_context():  # the lease is given back when the run ends
        assert db.session.scalar(select(JobLease)) is None


def test_a_lease_left_by_a_crashed_run_expires_and_is_taken_over(app, runner):
    with app.app_context():
        db.session.add(JobLease(name="notify-due", holder="gone:1:dead",
                                taken_at=clock.utcnow() - timedelta(hours=3),
                                expires_at=clock.utcnow() - timedelta(hours=2)))
        db.session.commit()
    result = runner.invoke(args=["notify", "due"])
    assert "another run" not in result.output
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(JobLease)) is None


def test_a_live_lease_stops_a_second_run(app, runner):
    with app.app_context():
        holder = jobs.take("accreditation-sweep", minutes=30)
        assert holder.count(":") == 2
    result = runner.invoke(args=["accreditation", "sweep"])
    assert "accreditation-sweep: another run holds the lease" in result.output
    assert not result.output.startswith("sweep:")  # the sweep's own report: it did not run
    with app.app_context():
        jobs.give_back("accreditation-sweep", holder)
    assert runner.invoke(args=["accreditation", "sweep"]).output.startswith("sweep:")


def test_a_run_that_fails_gives_its_lease_back_and_commits_nothing_half_done(app):
    def failing_run():
        with jobs.exclusive("privacy-sweep"):
            db.session.add(OutboxMessage(to_address="x@example.org", subject="s", body="b"))
            db.session.flush()
            raise RuntimeError("boom")

    with app.app_context():
        with pytest.raises(RuntimeError, match="boom"):
            failing_run()
        assert db.session.scalar(select(JobLease)) is None
        assert db.session.scalar(select(OutboxMessage)) is None
