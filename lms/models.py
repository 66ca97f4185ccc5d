"""Imports every model, so the metadata is complete for Alembic and the tests."""

from lms.accreditation.models import (
    AccreditationRecord,
    Application,
    Attestation,
    StandardVersion,
    StatusChange,
)
from lms.accreditation.signing_keys import SigningKey
from lms.accreditation.status_list import StatusListEntry
from lms.areas.models import ViewerScope
from lms.audit.models import AuditChainHead, AuditEvent
from lms.auth.models import AuthSession, PasswordResetToken, User
from lms.jobs.models import JobLease
from lms.learning.models import (
    CheckAttempt,
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonCompletion,
    LiveSession,
    Module,
    Question,
    SessionBooking,
)
from lms.notify.models import Notification, OutboxMessage
from lms.practice.models import (
    Assessment,
    CpdEntry,
    PracticeRecord,
    RecognisedSupervisor,
    SupervisionSession,
)
from lms.processes.models import (
    FeedbackCode,
    FeedbackResponse,
    ProcessHarm,
    ProcessOutcome,
    ProcessParticipant,
    ProcessTakeUp,
    RestorativeProcess,
)
from lms.schemes.models import Membership, Scheme

__all__ = [
    "AccreditationRecord",
    "Application",
    "Assessment",
    "Attestation",
    "AuditChainHead",
    "AuditEvent",
    "AuthSession",
    "CheckAttempt",
    "Course",
    "CourseVersion",
    "CpdEntry",
    "Enrolment",
    "FeedbackCode",
    "FeedbackResponse",
    "JobLease",
    "Lesson",
    "LessonCompletion",
    "LiveSession",
    "Membership",
    "Module",
    "Notification",
    "OutboxMessage",
    "PasswordResetToken",
    "PracticeRecord",
    "ProcessHarm",
    "ProcessOutcome",
    "ProcessParticipant",
    "ProcessTakeUp",
    "Question",
    "RecognisedSupervisor",
    "RestorativeProcess",
    "Scheme",
    "SessionBooking",
    "SigningKey",
    "StandardVersion",
    "StatusChange",
    "StatusListEntry",
    "SupervisionSession",
    "User",
    "ViewerScope",
]
