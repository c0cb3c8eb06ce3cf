"""Cells as the item files hold them, parsed into values and written back as text. A cell is
compared with what the catalogue holds through its text (``text_of``), so that a file
exported and imported again is seen to change nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}
PAIRS = ";"  # between the pairs of a list cell: "Trade=22.50; Retail=30"
PATH = "/"  # between the names of a category path: "Tools/Hand tools"


def text_of(value: Any) -> str:
    """A value as its cell's text: numbers without float error or trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return f"{PAIRS} ".join(f"{k}={text_of(v)}" for k, v in sorted(value.items()))
    return str(value)


def text(cell: str) -> str | None:
    return cell.strip() or None


# a file's equal cells share one value (prices and paths repeat down a column): a large
# file's rows are all held while it is imported
@lru_cache(maxsize=4096)
def decimal(cell: str) -> Decimal | None:
    if not cell.strip():
        return None
    try:
        number = Decimal(cell.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a number")
    if number < 0:
        raise ValueError("must not be negative")
    return number


def day(cell: str) -> date | None:
    """``2027-01-31``; a spreadsheet's date cell (read as midnight of that day) too."""
    word = cell.strip()
    if not word:
        return None
    try:
        moment = datetime.fromisoformat(word)
    except ValueError:
        raise ValueError("not a date (YYYY-MM-DD)") from None
    if moment.time() != datetime.min.time() or moment.tzinfo is not None:
        raise ValueError("a date, without a time (YYYY-MM-DD)")
    return moment.date()


def boolean(cell: str) -> bool | None:
    word = cell.strip().lower()
    if not word:
        return None
    if word in TRUE | FALSE:
        return word in TRUE
    raise ValueError("must be true or false")


def one_of(*choices: str) -> Any:
    def parse(cell: str) -> str | None:
        word = cell.strip()
        if word and word not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return word or None

    return parse


def pairs(cell: str) -> dict[str, str]:
    """``a=1; b=2`` -> {a: 1, b: 2}; each name once."""
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in cell.split(PAIRS))):
        name, equals, value = part.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"{part!r} is not name=value")
        if name.strip() in found:
            raise ValueError(f"{name.strip()!r} is named twice")
        found[name.strip()] = value.strip()
    return found


def prices(cell: str) -> dict[str, Decimal]:
    found = {}
    for name, value in pairs(cell).items():
        try:
            number = decimal(value)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
        if number is None:
            raise ValueError(f"{name}: no price")
        found[name] = number
    return found


@lru_cache(maxsize=4096)
def path(cell: str) -> str | None:
    """``Tools / Hand tools`` -> ``Tools/Hand tools``."""
    names = [name.strip() for name in cell.split(PATH)]
    if names == [""]:
        return None
    if not all(names):
        raise ValueError("a category path names each category (Tools/Hand tools)")
    return PATH.join(names)
