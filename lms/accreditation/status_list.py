"""W3C Bitstring Status List v1.0 (W3C Recommendation, 2025): anyone can learn whether a
credential was revoked or suspended, without telling us which credential they hold.

Each accreditation record gets one random index, the same in every list (allocated the
first time a credential is issued or its status changes). Two lists are published per
list number: `revocation` (permanent: revoked) and `suspension` (reversible: suspended,
temporarily withdrawn, lapsed). The bits are computed from the records' current status
when a list is served, so a list can never disagree with the records: a lifecycle change
and the lists change in the same transaction. Indexes are random, not in issue order,
as the Recommendation advises (§6.1 privacy: correlation by position).
"""

import base64
import gzip
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import ForeignKey, Integer, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from lms import clock
from lms.accreditation.credentials import iso
from lms.accreditation.models import AccreditationRecord, RecordStatus
from lms.db_types import conflict_insert
from lms.extensions import Model, db

#: Bits per list: 16 KiB uncompressed, the minimum the Recommendation allows (§2.1),
#: large enough that a list's population gives holders herd privacy.
LIST_SIZE = 131_072
#: A new list is started once one is this full, so random allocation stays quick.
FILL_LIMIT = LIST_SIZE // 2
PURPOSES = ("revocation", "suspension")
#: Which record statuses set the bit in which list.
STATUSES_SETTING = {
    "revocation": (RecordStatus.REVOKED,),
    "suspension": (RecordStatus.SUSPENDED, RecordStatus.WITHDRAWN, RecordStatus.LAPSED),
}
#: How long a verifier may cache a list (seconds); also the list credential's lifetime.
MAX_AGE = 300


class StatusListEntry(Model):
    __tablename__ = "status_list_entries"
    __table_args__ = (UniqueConstraint("list_number", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("accreditation_records.id", ondelete="CASCADE"), unique=True)
    list_number: Mapped[int] = mapped_column(Integer)
    #: statusListIndex: random within the list.
    position: Mapped[int] = mapped_column(Integer)


def entry_for(record: AccreditationRecord) -> StatusListEntry:
    """The record's place in the lists, allocated on first use. Safe when two requests
    allocate at once: the unique constraints decide, the loser reads the winner's row."""
    query = select(StatusListEntry).where(StatusListEntry.record_id == record.id)
    entry = db.session.scalar(query)
    while entry is None:
        number = _open_list()
        db.session.execute(conflict_insert(StatusListEntry).values(
            record_id=record.id, list_number=number, position=secrets.randbelow(LIST_SIZE))
            .on_conflict_do_nothing())
        entry = db.session.scalar(query)  # None only if the random position was taken
    return entry


def existing_entry(record: AccreditationRecord) -> StatusListEntry | None:
    return db.session.scalar(select(StatusListEntry).where(
        StatusListEntry.record_id == record.id))


def record_changed(record: AccreditationRecord) -> None:
    """Called by the lifecycle on every status change, inside its transaction: the
    record's bits (computed from its status) move with it."""
    entry_for(record)


def _open_list() -> int:
    number = db.session.scalar(select(func.max(StatusListEntry.list_number))) or 1
    used = db.session.scalar(select(func.count()).where(
        StatusListEntry.list_number == number)) or 0
    return number + 1 if used >= FILL_LIMIT else number


def list_exists(number: int) -> bool:
    return number == 1 or db.session.scalar(
        select(StatusListEntry.id).where(StatusListEntry.list_number == number).limit(1)
    ) is not None


def bitstring(purpose: str, number: int) -> bytes:
    """The list's bits, index 0 the left-most bit of the first byte (§2.1)."""
    bits = bytearray(LIST_SIZE // 8)
    positions = db.session.scalars(
        select(StatusListEntry.position).join(
            AccreditationRecord, AccreditationRecord.id == StatusListEntry.record_id)
        .where(StatusListEntry.list_number == number,
               AccreditationRecord.status.in_(STATUSES_SETTING[purpose])))
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bits (§2.1).
    mtime=0 keeps the encoding stable, so its hash serves as an ETag."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix u)")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bits: bytes, position: int) -> bool:
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def list_credential(*, list_url: str, issuer_id: str, purpose: str, encoded: str) -> dict:
    """The BitstringStatusListCredential (§2.2), valid for MAX_AGE seconds."""
    now = clock.utcnow().replace(microsecond=0)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso(now),
        "validUntil": iso(now + timedelta(seconds=MAX_AGE)),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
            "ttl": MAX_AGE * 1000,  # milliseconds (§2.2)
        },
    }


def etag(list_url: str, encoded: str, kid: str) -> str:
    """Changes when the bits, the list or the signing key change."""
    return hashlib.sha256(f"{list_url}|{encoded}|{kid}".encode()).hexdigest()[:32]
