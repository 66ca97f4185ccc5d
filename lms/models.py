"""Imports every model, so the metadata is complete for Alembic and the tests."""

from lms.auth.models import AuthSession, LoginAttempt, User
from lms.schemes.models import Membership, Scheme

__all__ = ["AuthSession", "LoginAttempt", "Membership", "Scheme", "User"]
