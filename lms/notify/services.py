"""Notifications: in the app always, by email when the person has an address. Emails wait
in the outbox; `flask notify send` delivers them through SMTP when LMS_SMTP_URL is set."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.branding import product_name
from lms.extensions import db
from lms.i18n import gettext as _
from lms.inputs.text import header_safe
from lms.notify.models import Notification, OutboxMessage
from lms.urls import absolute_path


def notify(user, message: str | LazyString, link: str | None = None, *,
           dedupe_key: str | None = None, topic: str | None = None) -> Notification | None:
    """Tell `user`. With a dedupe_key, a second call with the same key does nothing. With a
    topic (something to do), `done(topic)` later marks the notification as done.

    The notification and its email are written in the RECIPIENT's language: pass `message`
    as a lazy string with its values, `_l("%(name)s signed off your record", name=...)`,
    and it is rendered here under the recipient's preferred language (a plain string is
    kept as it is)."""
    if dedupe_key and db.session.scalar(select(Notification.id).where(
            Notification.dedupe_key == dedupe_key)) is not None:
        return None
    with force_locale(getattr(user, "preferred_language", None) or "en"):
        text = str(message)
        subject, body = _subject(text), _body(text, link)
    notification = Notification(user_id=user.id, message=text, link=link,
                                dedupe_key=dedupe_key, topic=topic)
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return None  # a concurrent run made the same notification
    if user.email:
        db.session.add(OutboxMessage(to_address=user.email, subject=subject, body=body))
    db.session.flush()
    return notification


def send_email(to_address: str, subject: str, body: str) -> OutboxMessage:
    """An email alone, with no in-app notification (e.g. a link that must not be shown in
    the app): it waits in the outbox like the others."""
    message = OutboxMessage(to_address=to_address, subject=_subject(subject),
                            body=body + "\n\n" + _("You get this email because you use "
                                                     "%(product)s.", product=product_name()) + "\n")
    db.session.add(message)
    db.session.flush()
    return message


def done(topic: str) -> None:
    """The thing notifications on `topic` asked for has been done: say so on each."""
    db.session.execute(update(Notification).where(
        Notification.topic == topic, Notification.done_at.is_(None))
        .values(done_at=clock.utcnow()))


def _subject(message: str) -> str:
    line = header_safe(message)  # a message may quote a name or text with line breaks
    return _("%(product)s: %(message)s", product=header_safe(product_name()),
             message=line if len(line) <= 80 else line[:77] + "...")


def _body(message: str, link: str | None) -> str:
    where = "\n\n" + _("Open it here: %(url)s", url=absolute_path(link)) if link else ""
    return (message + where + "\n\n"
            + _("You get this email because you use %(product)s.", product=product_name())
            + "\n")


def queue_email(to_address: str, subject: str, body: str) -> OutboxMessage:
    """An email to someone without an account (a referee): it waits in the outbox like
    every other and is sent by `flask notify send`."""
    message = OutboxMessage(to_address=to_address.strip(), subject=_subject(subject),
                            body=body)
    db.session.add(message)
    db.session.flush()
    return message


def unread_count(user) -> int:
    """The header's count: read with the signed-in person's session when it was loaded
    that way (no query of its own), else counted now."""
    if user.unread_notifications is not None:
        return user.unread_notifications
    return db.session.scalar(select(Notification.unread_count_of(user.id))) or 0


def pending_messages(limit: int = 500) -> list[OutboxMessage]:
    """Messages neither sent nor given up on, oldest first."""
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        .order_by(OutboxMessage.id).limit(limit)))


def send_pending(limit: int = 500) -> Iterator[OutboxMessage]:
    """Send unsent messages through SMTP one at a time, yielding each once it is marked
    sent or failed, so the caller commits each: a later failure never resends what went
    out. A message no server would take (a bad header, a refused address) is marked failed
    and the others go on; a lost connection stops the run (what is left waits)."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        return
    sender = current_app.config["MAIL_FROM"]
    with _smtp(url) as smtp:
        for message in pending_messages(limit):
            try:
                smtp.send_message(_email(message, sender))
            except smtplib.SMTPServerDisconnected:
                raise
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    _mark_failed(message, error)
                else:  # "try later": stays pending for the next run
                    message.error = str(error)[:300]
            except (smtplib.SMTPException, ValueError) as error:
                _mark_failed(message, error)
            else:
                message.sent_at, message.error = clock.utcnow(), None
            db.session.flush()
            yield message


def _mark_failed(message: OutboxMessage, error: Exception) -> None:
    message.failed_at = clock.utcnow()
    message.error = f"{type(error).__name__}: {error}"[:300]


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
    email["From"], email["To"] = sender, header_safe(message.to_address)
    email["Subject"] = header_safe(message.subject)
    email.set_content(message.body)
    return email
