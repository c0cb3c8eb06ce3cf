"""Text a client writes, checked alike wherever it is taken, in three kinds:

- a **code** (item codes, SKUs, barcodes, location and bin codes, batch and serial numbers,
  references: what a person types to find a thing again) is stripped, NFC-normalised, and
  holds no control character and no invisible formatting character (zero-width spaces and
  joiners, bidi controls, the BOM, the soft hyphen): two codes that look the same are the
  same code, and no code hides a character the eye cannot see;
- a **name** is stripped, NFC-normalised and holds no control character (the invisible
  formatting characters stay: some scripts and emoji need the zero-width joiner);
- **free text** (notes, descriptions) holds no control character but newline, carriage
  return and tab, and is kept as written.

No kind holds a lone surrogate (a JSON ``"\\ud800"``): it cannot be stored as UTF-8.

Use them as ``Annotated[str, code_text(64)]``. The JSON schema carries a ``pattern`` of the
characters refused (those of the Basic Multilingual Plane: a pattern cannot name the others
in a way both JavaScript's and Python's regular expressions read)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

Kind = Literal["code", "name", "free"]

# the categories each kind refuses, with the words its message uses
_REFUSED: dict[str, tuple[str, str]] = {
    "Cc": ("control_character", "must not contain control characters"),
    "Cf": ("invisible_character", "must not contain invisible formatting characters"),
    "Cs": ("surrogate_character", "must not contain unpaired surrogates"),
}
_CATEGORIES: dict[Kind, frozenset[str]] = {
    "code": frozenset({"Cc", "Cf", "Cs"}),
    "name": frozenset({"Cc", "Cs"}),
    "free": frozenset({"Cc", "Cs"}),
}
_ALLOWED_IN_FREE_TEXT = frozenset("\n\r\t")


@dataclass(frozen=True)
class _Characters:
    """The check after pydantic's own (type, strip, shortest): normalise, then measure (NFC
    may shorten a text, and lengthens a few characters) and refuse."""

    kind: Kind
    max_length: int
    stripped: bool = False
    required: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        # what must be left once stripped: one character that is not a space
        required = self.stripped and self.required
        pattern = _kept_pattern(self.kind) if required else _pattern(self.kind)
        json_schema.update(maxLength=self.max_length, pattern=pattern)
        return json_schema

    def check(self, text: str) -> str:
        if self.kind != "free":
            text = unicodedata.normalize("NFC", text)
        if len(text) > self.max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": self.max_length},
            )
        refused = _CATEGORIES[self.kind]
        for character in text:
            category = unicodedata.category(character)
            if category in refused and not self._allowed(character):
                code, message = _REFUSED[category]
                raise PydanticCustomError(
                    code, message + " ({character})", {"character": f"U+{ord(character):04X}"}
                )
        return text

    def _allowed(self, character: str) -> bool:
        return self.kind == "free" and character in _ALLOWED_IN_FREE_TEXT


@dataclass(frozen=True)
class TextRules(annotated_types.GroupedMetadata):
    """A kind of text with its lengths: pydantic's stripping and shortest length, then the
    kind's check."""

    kind: Kind
    max_length: int
    min_length: int
    strip: bool

    def __iter__(self) -> Iterator[Any]:
        yield from StringConstraints(
            strip_whitespace=self.strip, min_length=self.min_length or None
        )
        yield _Characters(self.kind, self.max_length, self.strip, self.min_length > 0)


def code_text(max_length: int, *, required: bool = True, strip: bool = True) -> TextRules:
    """A code: not blank unless not ``required``."""
    return TextRules("code", max_length, 1 if required else 0, strip)


def name_text(max_length: int, *, required: bool = True) -> TextRules:
    """A name: not blank unless not ``required``."""
    return TextRules("name", max_length, 1 if required else 0, True)


def free_text(max_length: int, *, required: bool = False) -> TextRules:
    """Free text, kept as written; ``required`` strips it and refuses it blank."""
    return TextRules("free", max_length, 1 if required else 0, required)


@functools.cache
def _kept_pattern(kind: Kind) -> str:
    """The kind's text with a character that stripping keeps."""
    refused = _spans(kind)
    spaces = "".join(
        f"\\u{ord(c):04x}"
        for c in map(chr, range(0x10000))
        if c.isspace() and not re.fullmatch(f"[{refused}]", c)
    )
    return f"^[^{refused}]*[^{refused}{spaces}][^{refused}]*$"


@functools.cache
def _pattern(kind: Kind) -> str:
    return f"^[^{_spans(kind)}]*$"


@functools.cache
def _spans(kind: Kind) -> str:
    """The kind's refused characters of the Basic Multilingual Plane, for a JSON schema
    pattern's character class, as ``\\uXXXX`` escapes (read alike by JavaScript's and
    Python's regular expressions); not the surrogates, which JavaScript without the ``u``
    flag would take for every character beyond that plane."""
    refused = _CATEGORIES[kind] - {"Cs"}
    allowed = _ALLOWED_IN_FREE_TEXT if kind == "free" else frozenset()
    ranges: list[tuple[int, int]] = []
    for point in range(0x10000):
        character = chr(point)
        if unicodedata.category(character) not in refused or character in allowed:
            continue
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return "".join(
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )
