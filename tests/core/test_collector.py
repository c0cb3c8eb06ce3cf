"""The garbage collector held off for large documents, and back as it was afterwards."""

from __future__ import annotations

import gc

from stockkeeper.core.collector import LARGE, held_off


def test_a_small_document_leaves_the_collector_alone() -> None:
    assert gc.isenabled()
    with held_off(LARGE - 1):
        assert gc.isenabled()


def test_a_large_one_holds_it_off_until_the_last_of_them_ends() -> None:
    with held_off(LARGE):
        assert not gc.isenabled()
        with held_off(LARGE * 10):
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_after_a_failure_and_stays_off_where_it_was() -> None:
    try:
        with held_off(LARGE):
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with held_off(LARGE):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
