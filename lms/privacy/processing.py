"""The record of processing (what personal data the platform holds, why, for how long,
who can see it), generated from the models and the retention policy so it cannot drift."""

from __future__ import annotations

from dataclasses import dataclass

from lms import policy
from lms.privacy.personal_data import PURPOSES, personal_tables

UNTIL_ERASED = ("While the account exists; when an account is erased, pseudonymised "
                "(figures and the audit trail kept).")


def _retention(table: str) -> str:
    r = policy.retention
    practice = (f"Free text (reflections, co-facilitator, supervisors' comments and "
                f"feedback) removed {r('practice_free_text_years')} years after sign-off; "
                "dates, stages, ratings and counts kept for figures.")
    return {
        "practice_records": practice,
        "assessments": practice,
        "supervision_sessions": (f"Notes removed {r('supervision_notes_years')} years after "
                                 "the session; date and length kept."),
        "notifications": f"Deleted after {r('notifications_days')} days.",
        "evidence_files": (f"Deleted {r('evidence_files_years')} years after the decision on "
                           "the application they were sent with (after upload if never "
                           "sent; after expiry for insurance documents)."),
        "auth_sessions": "Until the session ends (sign-out, expiry or password change).",
        "audit_events": "Kept for good (the chain must not break); refers to people by "
                        "account number only.",
    }.get(table, UNTIL_ERASED)


@dataclass(frozen=True)
class ProcessingEntry:
    table: str
    columns: tuple[str, ...]
    purpose: str
    who_can_see: str
    retention: str


def record_of_processing() -> list[ProcessingEntry]:
    entries = []
    for table in personal_tables():
        purpose, who = PURPOSES.get(table.table, ("NOT DESCRIBED: add it to PURPOSES.", "?"))
        entries.append(ProcessingEntry(table.table, table.columns, purpose, who,
                                       _retention(table.table)))
    return entries


def other_records() -> list[ProcessingEntry]:
    """Personal data held outside the account tables."""
    r = policy.retention
    return [
        ProcessingEntry("sign-in throttling counters (rate-limit store, not the database)",
                        ("username", "address", "count of recent attempts"),
                        "To throttle password guessing.",
                        "Nobody through the app (security only).",
                        "Expire on their own after the throttling window (15 minutes)."),
        ProcessingEntry("outbox_messages", ("to_address", "subject", "body"),
                        "Emails the platform sends.", "Administrators (outbox).",
                        f"Deleted {r('sent_emails_days')} days after sending."),
    ]
