"""Tokens kept only as digests, and password hashes (Argon2id)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from stockkeeper.core.errors import Invalid, field_error

PASSWORD_MIN = 10
PASSWORD_MAX = 1000


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored of a token: a lookup by the digest of what the browser sends finds it,
    and a copy of the table signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id with the library's (RFC 9106) parameters


@cache
def _decoy() -> str:
    return _hasher().hash(new_token())


def hash_password(password: str, field: str = "password") -> str:
    if len(password) < PASSWORD_MIN:
        message = f"must have at least {PASSWORD_MIN} characters"
        raise Invalid.fields([field_error(field, message, "too_short")])
    if len(password) > PASSWORD_MAX:
        message = f"must have at most {PASSWORD_MAX} characters"
        raise Invalid.fields([field_error(field, message, "too_long")])
    return _hasher().hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was hashed from. Without a stored hash a
    decoy is checked, so that an unknown email takes as long to refuse as a wrong password."""
    try:
        return _hasher().verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)
