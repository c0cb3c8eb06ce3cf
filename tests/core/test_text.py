"""The three kinds of client text (codes, names, free text): normalised and checked alike
wherever they are taken, with messages that name the character, and a JSON schema pattern
that says what is refused."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from stockkeeper.core.text import code_text, free_text, name_text


class Sample(BaseModel):
    code: Annotated[str, code_text(10)] = "X"
    name: Annotated[str, name_text(10)] = "X"
    notes: Annotated[str, free_text(20)] = ""


def _refusal(**fields: str) -> tuple[str, str, str]:
    with pytest.raises(ValidationError) as refused:
        Sample(**fields)
    [error] = refused.value.errors()
    return str(error["loc"][0]), error["type"], error["msg"]


def test_codes_and_names_are_nfc_so_what_looks_the_same_is_the_same() -> None:
    decomposed = unicodedata.normalize("NFD", "Café-Ω")
    assert decomposed != "Café-Ω"
    sample = Sample(code=f"  {decomposed} ", name=decomposed, notes=decomposed)
    assert sample.code == sample.name == "Café-Ω"
    assert sample.notes == decomposed  # free text is kept as written


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u200b", "zero-width space"),
        ("\u200d", "zero-width joiner"),
        ("\u202e", "right-to-left override"),
        ("\u2066", "left-to-right isolate"),
        ("\ufeff", "byte order mark"),
        ("\u00ad", "soft hyphen"),
        ("\U000e0041", "tag letter A, beyond the pattern's plane"),
    ],
)
def test_codes_refuse_invisible_formatting_characters(character: str, name: str) -> None:
    field, kind, message = _refusal(code=f"AB{character}C")
    point = f"U+{ord(character):04X}"
    assert (field, kind) == ("code", "invisible_character"), name
    assert message == f"must not contain invisible formatting characters ({point})"
    assert Sample(name=f"A{character}B").name == f"A{character}B"  # names may need them


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_codes_and_names_refuse_control_characters(character: str) -> None:
    point = f"U+{ord(character):04X}"
    for field in ("code", "name"):
        assert _refusal(**{field: f"A{character}B"}) == (
            field,
            "control_character",
            f"must not contain control characters ({point})",
        )


def test_free_text_keeps_lines_and_tabs_and_refuses_other_controls() -> None:
    assert Sample(notes="one\r\ntwo\tthree").notes == "one\r\ntwo\tthree"
    assert _refusal(notes="bell\x07") == (
        "notes",
        "control_character",
        "must not contain control characters (U+0007)",
    )
    assert Sample(notes="zero\u200bwidth").notes == "zero\u200bwidth"


def test_no_kind_holds_a_lone_surrogate() -> None:
    """It could not be stored as UTF-8. (Pydantic refuses it first when it checks a
    shortest length, as it does for codes and names.)"""
    for field in ("code", "name"):
        assert _refusal(**{field: "A\ud800"})[1] == "string_unicode"
    assert _refusal(notes="A\ud800")[1:] == (
        "surrogate_character",
        "must not contain unpaired surrogates (U+D800)",
    )


def test_lengths_count_what_is_kept_after_normalising() -> None:
    assert Sample(code="e\u0301" * 10).code == "é" * 10  # 20 sent, 10 kept
    # U+0344 is one character that NFC turns into two
    grows = "\u0344" * 6
    assert len(unicodedata.normalize("NFC", grows)) == 12
    assert _refusal(code=grows)[1] == "string_too_long"
    assert _refusal(code=" ")[1] == "string_too_short"


def test_the_json_schema_names_what_is_refused() -> None:
    properties = Sample.model_json_schema()["properties"]
    assert properties["code"]["maxLength"] == 10 and properties["code"]["minLength"] == 1
    code, name, notes = (re.compile(properties[f]["pattern"]) for f in ("code", "name", "notes"))
    assert code.fullmatch("WDG-001") and name.fullmatch("Café") and notes.fullmatch("a\nb\tc")
    assert not code.fullmatch("A\u200bB") and not code.fullmatch("A\x07B")
    assert name.fullmatch("A\u200dB") and not name.fullmatch("A\x07B")
    assert not notes.fullmatch("bell\x07") and not notes.fullmatch("\x9b")
    # written as \u escapes, which JavaScript's regular expressions read too
    assert (
        "\\u200b" in properties["code"]["pattern"] and "\u200b" not in properties["code"]["pattern"]
    )
