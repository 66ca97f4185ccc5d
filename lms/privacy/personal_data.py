"""Where the platform holds personal data, found from the models themselves: every
table with a column pointing at an account (users.id), plus the accounts table.

The subject access export and the record-of-processing page are both built from this,
so a new model that stores something about a person shows up in both without anyone
remembering to add it (a test fails until its purpose is described in PURPOSES)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Column, Table
from sqlalchemy.orm import Mapper

from lms.extensions import Model

#: Columns never exported or shown: secrets, not information about the person.
SECRET_COLUMNS = {"password_hash", "one_time_password_hash", "token_hash", "code_hash",
                  "calendar_feed_token_hash"}


@dataclass(frozen=True)
class PersonalTable:
    model: type[Model]
    table: str
    #: Columns that point at a person (users.id), or "id" for the accounts table itself.
    person_columns: tuple[Column, ...]
    columns: tuple[str, ...]


def _table(mapper: Mapper) -> Table:
    return cast(Table, mapper.local_table)  # every model is declared with a Table


def personal_tables() -> list[PersonalTable]:
    import lms.models  # noqa: F401  (every model registered)

    found = []
    for mapper in sorted(Model.registry.mappers, key=lambda m: _table(m).name):
        table = _table(mapper)
        people: tuple[Column, ...]
        if table.name == "users":
            people = (table.c.id,)
        else:
            people = tuple(c for c in table.columns
                           if any(fk.column.table.name == "users" for fk in c.foreign_keys))
        if people:
            columns = tuple(c.name for c in table.columns if c.name not in SECRET_COLUMNS)
            found.append(PersonalTable(mapper.class_, table.name, people, columns))
    return found


#: table -> (what it holds about people and why, who can see it). The record of
#: processing shows these with the columns and retention from the models and policy.
PURPOSES: dict[str, tuple[str, str]] = {
    "users": ("Account: name, username, email, sign-in times; to sign in and to contact "
              "the person about their training and accreditation.",
              "The person; their scheme leads; administrators."),
    "auth_sessions": ("Signed-in sessions; to keep a person signed in and end sessions "
                      "safely.", "Nobody through the app (security only)."),
    "password_reset_tokens": ("Password reset links emailed on request (kept hashed); to "
                              "let a person who forgot their password choose a new one.",
                              "Nobody through the app (security only)."),
    "memberships": ("Roles in schemes; to decide what each person may see and do.",
                    "The person; their scheme leads; administrators."),
    "enrolments": ("Courses taken and completed; training records for accreditation.",
                   "The person; their trainers and scheme leads; administrators."),
    "session_bookings": ("Live training bookings and attendance.",
                         "The person; trainers and leads of the scheme."),
    "live_sessions": ("Who runs a live training session.", "Everyone who can book it."),
    "practice_records": ("Practice log: what kind of process, when, the practitioner's "
                         "reflection (no participant details: the privacy guard refuses "
                         "them); evidence for accreditation and the scheme's figures.",
                         "The practitioner; the co-facilitator; supervisors and leads of "
                         "the scheme; assessors of an application; administrators."),
    "restorative_processes": ("A restorative process (a case): its kind, date, setting and "
                              "harms, outcomes and take-up counts, and who logged it (no "
                              "participant details); the scheme's figures.",
                              "Its practitioners; supervisors and leads of the scheme; "
                              "administrators."),
    "process_participants": ("Which practitioners took part in a process, in what role, "
                             "and when they confirmed it; credit and figures.",
                             "Its practitioners; supervisors and leads of the scheme; "
                             "administrators."),
    "feedback_codes": ("Who made a participant feedback code (the code itself is kept only "
                       "as a hash, and answers are not linked to it).",
                       "The process's facilitators; administrators."),
    "assessments": ("Supervisors' ratings, comments and feedback on practice records.",
                    "The practitioner; supervisors and leads of the scheme; assessors."),
    "recognised_supervisors": ("Who may sign off practice, and why.",
                               "Administrators; scheme leads."),
    "supervision_sessions": ("Case supervision meetings and redacted notes; evidence of "
                             "regular supervision.", "The two people; scheme leads."),
    "cpd_entries": ("Continuing professional development; evidence for renewal.",
                    "The person; trainers who approve CPD; scheme leads; assessors."),
    "applications": ("Accreditation applications, frozen evidence and decisions.",
                     "The applicant; their lead; assessors; administrators."),
    "accreditation_records": ("Accreditation held; shown on the public register only if "
                              "the person opts in; verifiable certificates.",
                              "The holder; leads; administrators; the public (verification "
                              "by identifier, and the register if opted in)."),
    "accreditation_status_changes": ("History of an accreditation's status and who "
                                     "changed it.", "The holder; administrators."),
    "attestations": ("Declarations a practitioner has agreed to (e.g. insurance).",
                     "The person; assessors; administrators."),
    "notifications": ("In-app messages to a person.", "The person."),
    "skill_assessments": ("A trainer's pass or not yet, with short feedback, for each skill "
                          "of a learner's assessed skills practice; for completing a course.",
                          "The learner; their trainers and scheme leads."),
    "check_attempts": ("Knowledge-check attempts (online, or entered from paper by a trainer, "
                       "who is recorded); for completing a course.",
                       "The learner; their trainers and scheme leads."),
    "observations": ("Practice a supervisor or assessor observed and assessed against the "
                     "stages; evidence for accreditation.",
                     "The practitioner; the observer; scheme leads; assessors."),
    "portfolio_items": ("Case studies, work products and references for the portfolio "
                        "route (redacted, no participant details).",
                        "The practitioner; assessors; administrators."),
    "evidence_files": ("Uploaded work products and insurance documents (checked for "
                       "identifying text, redaction confirmed).",
                       "The practitioner; whoever may see their application."),
    "indemnity_insurance": ("A trainer's professional indemnity insurance: insurer, policy "
                            "number and expiry.", "The trainer; scheme leads; assessors."),
    "cpd_audits": ("Which renewing practitioners were drawn for the yearly CPD audit and "
                   "the assessor's outcome.", "The practitioner; scheme leads; assessors."),
    "viewer_scopes": ("What a read-only viewer may see (an area, a sector, a scheme or the "
                      "whole country) and who granted it.", "The viewer; administrators."),
    "audit_events": ("Tamper-evident trail of every change and who made it (by account "
                     "number only, never names or case details).", "Administrators."),
}
