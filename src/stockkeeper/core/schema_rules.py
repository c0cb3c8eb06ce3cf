"""Rules of a model's fields that its JSON schema would not say by itself, said there, so that
the OpenAPI document admits exactly what the API takes.

A ``Values`` model lists them in its config: ``model_config = ConfigDict(json_schema_extra=
rules(not_null("name"), named("item_id", "variant_id")))``. Each rule names fields in the
domain's names and finds them in the schema by their alias, so the canonical API's subclasses
(camelCase) say the same rule in their own names.

- ``not_null``: a field that may be left out but not sent as null (a partial update of a
  column that always has a value): Python types it ``X | None``, for "not sent".
- ``named``: at least one of the fields is sent, and not null nor empty (a line names its item
  or its variant).

- ``at_most_one``: of a list of objects, at most one has a flag set (one primary image).

``KeysAsNames`` annotates a ``dict`` whose keys are checked text; ``AlsoMatches`` a text with
a second pattern; ``Matches`` a text with a pattern and a refusal of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

Rule = Callable[[dict[str, Any], type[BaseModel]], None]


def rules(*each: Rule) -> Callable[[dict[str, Any], type[BaseModel]], None]:
    def apply(schema: dict[str, Any], model: type[BaseModel]) -> None:
        for rule in each:
            rule(schema, model)

    return apply


def _alias(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].alias or name


def not_null(*names: str) -> Rule:
    def rule(schema: dict[str, Any], model: type[BaseModel]) -> None:
        for name in names:
            field = schema.get("properties", {}).get(_alias(model, name))
            branches = field.get("anyOf") if field else None
            if not branches:
                continue
            kept = [branch for branch in branches if branch != {"type": "null"}]
            del field["anyOf"]
            if field.get("default", "") is None:
                del field["default"]  # "not sent" in Python; no value of the field
            if len(kept) == 1:
                field.update(kept[0])
            else:
                field["anyOf"] = kept

    return rule


def named(*names: str) -> Rule:
    def rule(schema: dict[str, Any], model: type[BaseModel]) -> None:
        schema.setdefault("allOf", []).append(
            {"anyOf": [_present(_alias(model, name)) for name in names]}
        )

    return rule


def at_most_one(name: str, flag: str) -> Rule:
    """At most one item of the list ``name`` has ``flag`` true (one primary image)."""

    def rule(schema: dict[str, Any], model: type[BaseModel]) -> None:
        field = schema.get("properties", {}).get(_alias(model, name))
        if field is None:
            return
        generator = model.model_config.get("alias_generator")
        key = generator(flag) if callable(generator) else flag
        flagged = {"type": "object", "required": [key], "properties": {key: {"const": True}}}
        for branch in field.get("anyOf", [field]):
            if branch.get("type") == "array":
                branch.update(contains=flagged, minContains=0, maxContains=1)

    return rule


def _present(alias: str) -> dict[str, Any]:
    # an id or a code: a string with something in it besides spaces (a code is stripped)
    return {"required": [alias], "properties": {alias: {"type": "string", "pattern": r"\S"}}}


class KeysAsNames:
    """For a ``dict`` whose keys are checked text: pydantic writes the keys' pattern as
    ``patternProperties``, which leaves a key that does not match it unchecked, with any
    value; said as ``propertyNames``, every key must match and every value is the dict's."""

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core)
        patterns = schema.pop("patternProperties", None)
        if patterns:
            [(pattern, value)] = patterns.items()
            schema["propertyNames"] = {**schema.get("propertyNames", {}), "pattern": pattern}
            schema["additionalProperties"] = value
        return schema


@dataclass(frozen=True)
class AlsoMatches:
    """A second pattern a text matches, beside its kind's (a numbering format's tokens)."""

    pattern: str

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core)
        schema.setdefault("allOf", []).append({"pattern": self.pattern})
        return schema


@dataclass(frozen=True)
class Matches:
    """A text matches a pattern, which the document states; a text that does not is refused
    with this code and message (pydantic's own would quote the whole pattern)."""

    pattern: str
    code: str
    message: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        regex = re.compile(self.pattern)

        def check(value: str) -> str:
            if not regex.fullmatch(value):
                raise PydanticCustomError(self.code, self.message)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core), "pattern": self.pattern}
