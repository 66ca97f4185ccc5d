from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select, update

from lms import access, clock
from lms.extensions import db
from lms.forms import EmptyForm
from lms.notify.models import Notification, OutboxMessage
from lms.notify.services import unread_count

bp = Blueprint("notify", __name__)


@bp.app_context_processor
def notification_count():
    """The unread count in every page's header."""
    def unread_notifications() -> int:
        return unread_count(current_user) if current_user.is_authenticated else 0
    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@access.signed_in
def index():
    items = db.session.scalars(select(Notification).where(
        Notification.user_id == current_user.id).order_by(Notification.id.desc())
        .limit(100)).all()
    return render_template("notify/index.html", items=items, button=EmptyForm())


@bp.route("/notifications/read", methods=["POST"])
@access.signed_in
def mark_read():
    if EmptyForm().validate_on_submit():
        db.session.execute(update(Notification).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None))
            .values(read_at=clock.utcnow()))
        db.session.commit()
    return redirect(url_for("notify.index"))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@access.signed_in
def mark_one_read(notification_id):
    """Mark one of the person's own notifications as read (others' are not found)."""
    if EmptyForm().validate_on_submit():
        db.session.execute(update(Notification).where(
            Notification.id == notification_id, Notification.user_id == current_user.id,
            Notification.read_at.is_(None)).values(read_at=clock.utcnow()))
        db.session.commit()
    return redirect(url_for("notify.index"))


@bp.route("/admin/outbox")
@access.admin
def outbox():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())
                                  .limit(200)).all()
    return render_template("notify/outbox.html", messages=messages)
