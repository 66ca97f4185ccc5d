"""Password hashing and the password policy.

Chosen passwords are hashed with argon2id. One-time passwords issued by a lead are long
random strings (over 90 bits), for which a slow hash adds nothing: they are stored as
SHA-256 so that thousands can be issued in one CSV import.
"""

import gzip
import hashlib
import hmac
import secrets
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from lms.i18n import gettext as _
from lms.i18n import ngettext

MIN_LENGTH = 12
MAX_LENGTH = 128
#: No look-alike characters, so a printed one-time password can be typed from paper.
OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
OTP_LENGTH = 16


def init_app(app):
    app.extensions["lms.password_hasher"] = PasswordHasher(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_cost=app.config["ARGON2_MEMORY_COST"],
        parallelism=app.config["ARGON2_PARALLELISM"],
    )


def _hasher() -> PasswordHasher:
    return current_app.extensions["lms.password_hasher"]


@cache
def _dummy_hash(params: tuple) -> str:
    return PasswordHasher(*params).hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; always does one argon2 verification, so timing reveals nothing."""
    hasher = _hasher()
    if password_hash is None:
        params = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
        password_hash, password = _dummy_hash(params), password + "\x00never-matches"
        _verify(hasher, password_hash, password)
        return False
    return _verify(hasher, password_hash, password)


def _verify(hasher, password_hash, password) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_one_time_password() -> str:
    return "".join(secrets.choice(OTP_ALPHABET) for _ in range(OTP_LENGTH))


def hash_one_time_password(otp: str) -> str:
    return hashlib.sha256(otp.encode()).hexdigest()


def verify_one_time_password(otp_hash: str | None, otp: str) -> bool:
    if otp_hash is None:
        return False
    return hmac.compare_digest(otp_hash, hash_one_time_password(otp))


@cache
def common_passwords() -> frozenset[str]:
    data = resources.files("lms.auth").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def password_problem(password: str, *, username: str = "", display_name: str = "") -> str | None:
    """The reason a new password is refused, or None. Length and commonness only: no
    composition rules, as NIST SP 800-63B advises."""
    if len(password) < MIN_LENGTH:
        return ngettext("Use at least %(num)d character; a few words together are easy to "
                        "remember.",
                        "Use at least %(num)d characters; a few words together are easy to "
                        "remember.", MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.",
                        MAX_LENGTH)
    lowered = password.lower()
    # "Password1234!" is as guessable as "password": check the word without its padding too.
    base = lowered.rstrip("0123456789!?.*#@$%&_- ")
    if lowered in common_passwords() or (len(base) >= 4 and base in common_passwords()):
        return _("This password is on a list of commonly used passwords. Choose another.")
    if len(set(lowered)) == 1:
        return _("Use more than one repeated character.")
    if lowered in {username.lower(), display_name.lower()}:
        return _("Your password must not be your username or your name.")
    return None
