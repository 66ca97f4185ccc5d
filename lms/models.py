"""Imports every model, so the metadata is complete for Alembic and the tests."""

from lms.auth.models import AuthSession, LoginAttempt, User
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
from lms.schemes.models import Membership, Scheme

__all__ = [
    "AuthSession",
    "CheckAttempt",
    "Course",
    "CourseVersion",
    "Enrolment",
    "Lesson",
    "LessonCompletion",
    "LiveSession",
    "LoginAttempt",
    "Membership",
    "Module",
    "Question",
    "Scheme",
    "SessionBooking",
    "User",
]
