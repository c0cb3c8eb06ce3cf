"""Catalogue errors with their machine-readable codes."""

from __future__ import annotations

from stockkeeper.core.errors import Conflict, Invalid, field_error


def duplicate(field: str, value: str, what: str = "an item") -> Conflict:
    return Conflict(
        f"{what} with {field} {value!r} already exists in this company",
        code=f"duplicate_{_snake(field)}",
        errors=[field_error(field, "already in use", "duplicate")],
    )


def unknown_reference(field: str, what: str, ident: str) -> Invalid:
    return Invalid(
        f"{field}: no {what} {ident!r} in this company",
        code=f"unknown_{what.replace(' ', '_')}",
        errors=[field_error(field, f"no such {what}", "unknown_reference")],
    )


def in_use(what: str, ident: str, reason: str) -> Conflict:
    return Conflict(
        f"{what} {ident!r} cannot be deleted: {reason}", code=f"{what.replace(' ', '_')}_in_use"
    )


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
