"""JSON columns: exact decimals in and out; empty documents read without the parser."""

from __future__ import annotations

from decimal import Decimal

from stockkeeper.core.db import _json_dumps, _json_loads


def test_json_columns_read_empty_documents_as_new_containers() -> None:
    """An empty object or list is read as a new one each time, never one shared container."""
    first, second = _json_loads("{}"), _json_loads("{}")
    assert first == {} and first is not second
    assert _json_loads("[]") == [] and _json_loads("[]") is not _json_loads("[]")
    assert _json_loads("null") is None
    assert _json_loads('{"a": [1.50]}') == {"a": [Decimal("1.50")]}


def test_json_columns_write_decimals_exactly() -> None:
    assert _json_dumps(None) == "null"
    assert _json_dumps({"q": Decimal("0.000001")}) == '{"q": 0.000001}'
    assert _json_loads(_json_dumps([Decimal("12.500")])) == [Decimal("12.500")]
