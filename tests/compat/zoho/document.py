"""Zoho's schema document, read from its copy in ``tests/compat/spec``: its schemas with their
``#/components/schemas/`` references resolved to ``#/definitions/`` and ``adjustment_type``
widened to ``quantity`` or ``value`` as its description says; a validator per schema; examples
built from the document's own ``example`` values (each coerced to its declared type, since
the document writes some string ids as numbers); and a "same shape" comparison."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from tests.compat import spec

SPEC = spec.ZOHO


@cache
def document() -> dict[str, Any]:
    text = SPEC.read_text().replace("#/components/schemas/", "#/definitions/")
    doc: dict[str, Any] = json.loads(text)
    doc["definitions"]["adjustment_type"]["enum"] = ["quantity", "value"]
    return doc


def validate(name: str, body: Any) -> None:
    """``body`` is valid against the document's schema ``name`` (an AssertionError listing
    every error otherwise)."""
    doc = document()
    schema = {"$ref": f"#/definitions/{name}", "definitions": doc["definitions"]}
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft7Validator(schema).iter_errors(body)
    ]
    assert not errors, f"not a valid {name}: {errors}"


def example(name: str) -> Any:
    """The example of schema ``name`` built from the document's ``example`` values (objects
    with every property, arrays with one element)."""
    return _build(document()["definitions"][name])


def _build(schema: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _build(document()["definitions"][schema["$ref"].rsplit("/", 1)[1]])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: _build(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_build(schema["items"])]
    value = schema.get("example")
    if kind == "string" and value is not None:
        return str(value)
    return value


def json_type(value: Any) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "boolean"),
        ((int, float, Decimal), "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    ]
    if value is None:
        return "null"
    return next(name for kind, name in kinds if isinstance(value, kind))


def shape_difference(
    documented: Any, ours: Any, absent: frozenset[str] = frozenset(), path: str = ""
) -> str | None:
    """The path of the first difference of names, nesting or JSON types between a documented
    body and ours (None if they agree): every documented name is in ours with the same JSON
    type (a documented value with no example, None, only needs the name), every element of
    our arrays has the documented element's shape. Names we add are allowed; ``absent``
    lists the paths (array elements as ``*``) of documented names we may leave out."""
    if documented is None:
        return None
    if json_type(documented) != json_type(ours):
        return f"{path or '/'}: documented {json_type(documented)}, ours {json_type(ours)}"
    if isinstance(documented, dict):
        for name, value in documented.items():
            at = f"{path}/{name}"
            if name not in ours:
                if at in absent:
                    continue
                return f"{at}: missing"
            found = shape_difference(value, ours[name], absent, at)
            if found:
                return found
    if isinstance(documented, list) and documented:
        for element in ours:
            found = shape_difference(documented[0], element, absent, f"{path}/*")
            if found:
                return found
    return None


def paths(body: Any, prefix: str = "") -> set[str]:
    """Every name's path in a body, arrays' elements as ``*`` (what a shape check covered)."""
    found = {prefix} if prefix else set()
    if isinstance(body, dict):
        for name, value in body.items():
            found |= paths(value, f"{prefix}/{name}")
    elif isinstance(body, list):
        for element in body:
            found |= paths(element, f"{prefix}/*")
    return found
