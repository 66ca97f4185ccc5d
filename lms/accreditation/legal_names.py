"""Changing the legal name shown on a holder's accreditation records: who may, and the
reissue of valid records under the new name. Flushes, never commits; audited per record."""

from __future__ import annotations

from sqlalchemy import select

from lms import clock
from lms.accreditation.models import AccreditationRecord, StatusChange
from lms.accreditation.refusals import AccreditationError, own_record_refusal
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.people.services import can_manage_person


def legal_name_refusal(user: User, holder: User) -> str | None:
    """Only a lead of the holder's scheme or an administrator, never the holder."""
    if refusal := own_record_refusal(user, holder.id):
        return refusal
    if not (user.is_admin or can_manage_person(user, holder)):
        return _("Only a lead of the holder's scheme or an administrator changes a legal "
                 "name.")
    return None


def change_legal_name(holder: User, new_name: str, *, actor: User, reason: str) -> int:
    """Every record of the holder shows the new legal name from now on; valid ones are
    reissued (a new version from today). Returns how many records changed."""
    if refusal := legal_name_refusal(actor, holder):
        raise AccreditationError(refusal)
    new_name, reason = " ".join(new_name.split()), reason.strip()
    if not new_name or not reason:
        raise AccreditationError(_("Give the new legal name and the evidence seen for it."))
    today = clock.today()
    records = db.session.scalars(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == holder.id,
        AccreditationRecord.holder_name != new_name)).all()
    for record in records:
        old = record.holder_name
        record.holder_name = new_name
        if record.valid:
            record.valid_from = today
        record.history.append(StatusChange(
            from_status=record.status, to_status=record.status, actor_id=actor.id,
            reason=f"{'Reissued' if record.valid else 'Renamed'} under the legal name "
                   f"{new_name} (was {old}): {reason}"))
        audit.record("accreditation.legal_name_changed", actor=actor,
                     object_type="accreditation", object_id=record.public_id,
                     payload={"from": old, "to": new_name, "reason": reason})
    db.session.flush()
    return len(records)
