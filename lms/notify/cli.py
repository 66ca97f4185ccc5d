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
    """Send waiting emails through SMTP (LMS_SMTP_URL); without it they stay in the outbox."""
    sent, failed = send_pending()
    db.session.commit()
    click.echo(f"emails sent: {sent}, failed: {failed}")
