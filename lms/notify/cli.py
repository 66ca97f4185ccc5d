import smtplib

import click
from flask import current_app
from flask.cli import AppGroup

from lms.extensions import db
from lms.jobs.services import one_at_a_time
from lms.notify.services import send_pending

notify_cli = AppGroup("notify", help="Notifications and email.")
#: app.extensions key: {label: function returning how many reminders it created}. Features
#: register theirs in the app factory, so notify depends on no feature.
DUE_REMINDERS = "lms.due_reminders"


@notify_cli.command("due")
@one_at_a_time("notify-due", minutes=60)
def due():
    """Daily: send the reminders features have registered (e.g. supervision overdue).
    Running it again the same day sends nothing new."""
    for label, remind in current_app.extensions.get(DUE_REMINDERS, {}).items():
        count = remind()
        db.session.commit()
        click.echo(f"{label}: {count} new notifications")


@notify_cli.command("send")
@one_at_a_time("notify-send", minutes=30)
def send():
    """Send waiting emails through SMTP (LMS_SMTP_URL); without it they stay in the outbox.
    Each email is recorded as sent (or failed) as soon as it is handed over."""
    sent = failed = 0
    try:
        for message in send_pending():
            db.session.commit()
            if message.sent_at is not None:
                sent += 1
            elif message.failed_at is not None:
                failed += 1
    except (smtplib.SMTPException, OSError) as error:
        db.session.rollback()
        click.echo(f"emails sent: {sent}, failed: {failed}; stopped: {error}. "
                   "The rest wait for the next run.")
        raise SystemExit(1) from error
    click.echo(f"emails sent: {sent}, failed: {failed}")
