"""Notifications: in the app always, by email when the person has an address. Emails wait
in the outbox; `flask notify send` delivers them through SMTP when LMS_SMTP_URL is set."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.extensions import db
from lms.notify.models import Notification, OutboxMessage
from lms.urls import absolute_path


def notify(user, message: str, link: str | None = None, *, dedupe_key: str | None = None,
           topic: str | None = None) -> Notification | None:
    """Tell `user`. With a dedupe_key, a second call with the same key does nothing. With a
    topic (something to do), `done(topic)` later marks the notification as done."""
    if dedupe_key and db.session.scalar(select(Notification.id).where(
            Notification.dedupe_key == dedupe_key)) is not None:
        return None
    notification = Notification(user_id=user.id, message=message, link=link,
                                dedupe_key=dedupe_key, topic=topic)
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return None  # a concurrent run made the same notification
    if user.email:
        db.session.add(OutboxMessage(to_address=user.email, subject=_subject(message),
                                     body=_body(message, link)))
    db.session.flush()
    return notification


def done(topic: str) -> None:
    """The thing notifications on `topic` asked for has been done: say so on each."""
    db.session.execute(update(Notification).where(
        Notification.topic == topic, Notification.done_at.is_(None))
        .values(done_at=clock.utcnow()))


def _subject(message: str) -> str:
    return "Restorative LMS: " + (message if len(message) <= 80 else message[:77] + "...")


def _body(message: str, link: str | None) -> str:
    where = f"\n\nOpen it here: {absolute_path(link)}" if link else ""
    return f"{message}{where}\n\nYou get this email because you use Restorative LMS.\n"


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def send_pending(limit: int = 500) -> tuple[int, int]:
    """Send unsent outbox messages through SMTP. Returns (sent, failed)."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        return 0, 0
    pending = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)).all()
    sent = failed = 0
    with _smtp(url) as smtp:
        for message in pending:
            try:
                smtp.send_message(_email(message, current_app.config["MAIL_FROM"]))
            except smtplib.SMTPException as error:
                message.error = str(error)[:300]
                failed += 1
            else:
                message.sent_at, message.error = clock.utcnow(), None
                sent += 1
    db.session.flush()
    return sent, failed


def _smtp(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    cls = smtplib.SMTP_SSL if secure else smtplib.SMTP
    smtp = cls(parts.hostname or "localhost", parts.port or (465 if secure else 587), timeout=20)
    if parts.scheme == "smtp+starttls":
        smtp.starttls()
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


def _email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = sender, message.to_address, message.subject
    email.set_content(message.body)
    return email
