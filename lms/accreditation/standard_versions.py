"""The stored versions of the standards: each record and application points to the version
it was decided under, which keeps the standards in words as they then were."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from lms import clock
from lms.accreditation import evidence as evidence_store
from lms.accreditation.evaluation import evaluate
from lms.accreditation.models import StandardVersion
from lms.accreditation.standards import Standards
from lms.db_types import conflict_insert
from lms.extensions import db

#: The language of words kept on records (frozen evaluations, the standards of a version).
RECORD_LANGUAGE = "en"


def current_standard_version(standards: Standards) -> StandardVersion:
    """The stored version for these standards, stored now if new. Simultaneous first uses
    of a new version insert it once (the content hash is unique; the others do nothing)."""
    db.session.execute(conflict_insert(StandardVersion).values(
        content_hash=standards.content_hash, loaded_at=clock.now(), levels={
            key: {"name": level.name, "validity_months": level.validity_months,
                  "depends_on": list(level.depends_on)}
            for key, level in standards.levels.items()})
        .on_conflict_do_nothing(index_elements=["content_hash"]))
    version = db.session.scalar(select(StandardVersion).where(
        StandardVersion.content_hash == standards.content_hash))
    assert version is not None  # inserted above, by this or a simultaneous first use
    if version.content is None:
        version.content = standards_text(standards)
        db.session.flush()
    return version


def standards_text(standards: Standards) -> dict:
    """The standards in words, as kept on each version for the standards page: in
    English, the language the records are kept in, whoever's request first uses it."""
    with force_locale(RECORD_LANGUAGE):
        return _standards_text(standards)


def standards_text_shown(standards: Standards) -> dict:
    """The standards in words in the page's language, for the version in force (earlier
    versions are shown as kept, in English)."""
    return _standards_text(standards)


def _standards_text(standards: Standards) -> dict:
    empty = evidence_store.empty_evidence(clock.today())
    titles = evidence_store.course_titles()
    names = {key: level.local_name for key, level in standards.levels.items()}

    def described(level, maintenance):
        return [r.description for r in evaluate(level, empty, course_titles=titles,
                                                 level_names=names,
                                                 maintenance=maintenance).results]

    return {"levels": [{"key": level.key, "name": level.local_name,
                        "summary": level.local_summary,
                        "note": level.local_note, "validity_months": level.validity_months,
                        "depends_on": [names.get(k, k) for k in level.depends_on],
                        "requirements": described(level, False),
                        "maintenance": described(level, True)}
                       for level in standards.levels.values()],
            "attestations": dict(standards.attestations),
            "expiring_notice_days": standards.expiring_notice_days}
