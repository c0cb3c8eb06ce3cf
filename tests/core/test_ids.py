"""Public ids: a prefix, then 26 Crockford base32 characters, time first."""

from __future__ import annotations

import os
import re
from collections import Counter
from types import SimpleNamespace

import pytest

from stockkeeper.core import ids
from stockkeeper.core.ids import new_id


def test_an_id_is_its_prefix_and_26_characters_of_time_then_chance() -> None:
    made = {new_id("mov") for _ in range(2000)}
    assert len(made) == 2000
    assert all(re.fullmatch(r"mov_[0-9a-hjkmnp-tv-z]{26}", i) for i in made)


def test_ids_sort_by_the_millisecond_they_were_made(monkeypatch: pytest.MonkeyPatch) -> None:
    moments = iter([1_700_000_000_000_000_000, 1_700_000_000_001_000_000])
    monkeypatch.setattr(ids, "time", SimpleNamespace(time_ns=lambda: next(moments)))
    monkeypatch.setattr(ids, "_chance", SimpleNamespace(digits=lambda: "z" * 16))
    earlier, later = new_id("adj"), new_id("adj")
    assert earlier < later
    # the time's 10 characters, then the 16 random ones
    assert earlier == "adj_" + ids._encode(1_700_000_000_000, 10) + "z" * 16
    assert earlier[4:14] == "01hf7yat00"  # 1,700,000,000,000 in Crockford base32
    assert later[4:14] == ids._encode(1_700_000_000_001, 10)


def test_every_digit_is_as_likely_as_the_next() -> None:
    """A random byte gives the digit of its low five bits: each of the 32 from 8 bytes."""
    counts = Counter(ids._DIGIT_OF_BYTE)
    assert sorted(counts) == sorted(ids._ALPHABET.encode())
    assert set(counts.values()) == {8}


def test_a_forked_process_draws_chance_of_its_own() -> None:
    """The parent's buffer of random bytes, half used, is not the child's to hand out."""
    new_id("mov")
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's)
        os.write(write, " ".join(new_id("mov")[14:] for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        childs = pipe.read().split()
    parents = [new_id("mov")[14:] for _ in range(3)]
    assert len(childs) == 3
    assert not set(childs) & set(parents)
