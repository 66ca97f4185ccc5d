import smtplib

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.notify.services import send_pending
from lms.practice.supervision import notify_overdue

notify_cli = AppGroup("notify", help="Notifications and email.")


@notify_cli.command("due")
def due():
    """Daily: tell practitioners (and their supervisors) when supervision is overdue.
    Running it again the same day sends nothing new."""
    count = notify_overdue()
    db.session.commit()
    click.echo(f"overdue supervision: {count} new notifications")


@notify_cli.command("send")
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
