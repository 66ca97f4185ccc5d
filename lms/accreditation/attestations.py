"""The statements a practitioner agrees to (as the standards list them): agreeing and
withdrawing agreement, with an audit event. Flushes, never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.accreditation.models import Attestation
from lms.accreditation.refusals import AccreditationError
from lms.accreditation.standards import Standards, load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import lazy_gettext as _l


def set_attestations(user: User, chosen: set[str], standards: Standards | None = None) -> None:
    """Agree to the chosen statements and withdraw agreement from the others."""
    standards = standards or load_standards()
    chosen = set(chosen) & set(standards.attestations)
    existing = {a.key: a for a in db.session.scalars(select(Attestation).where(
        Attestation.user_id == user.id))}
    added, removed = sorted(chosen - set(existing)), sorted(set(existing) - chosen)
    for key in added:
        db.session.add(Attestation(user_id=user.id, key=key))
    for key in removed:
        db.session.delete(existing[key])
    try:
        db.session.flush()
    except IntegrityError as clash:  # the same form posted twice at once
        # Lazy: the words are chosen when shown, after the view has rolled back (choosing
        # the language may read the signed-in user, which a failed session cannot).
        raise AccreditationError(_l("Your statements were being saved twice at once; check "
                                    "them and save again.")) from clash
    audit.record("attestations.updated", actor=user, object_type="user", object_id=user.id,
                 payload={"agreed": sorted(chosen), "added": added, "removed": removed})
