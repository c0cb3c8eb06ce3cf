"""The typed input of service functions: the domain's own names, checked as far as can be
without the database. Each face builds them from what it was sent (the canonical API's
schemas are these models with camelCase names laid over them), so every face is checked
alike, and a service never sees a face's shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from stockkeeper.core.currency import MINOR_UNITS
from stockkeeper.core.schema_rules import Matches
from stockkeeper.core.text import code_text, free_text, name_text


class Values(BaseModel):
    """A service's typed input; ``given`` tells a field that was sent from one left out."""

    model_config = ConfigDict(extra="forbid")

    def given(self, name: str) -> bool:
        return name in self.model_fields_set


# text fields most documents share
Text = Annotated[str, free_text(2000)]
Reference = Annotated[str, code_text(100, required=False)]
# a client's own id of a document (a till's receipt id), unique per company and kind
ExternalId = Annotated[str, code_text(255)]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Name = Annotated[str, name_text(100)]

# An address as mail servers take it: a dot-atom, @, a domain name of letters, digits and
# hyphens; a pattern the document states and the API checks alike (no \s, which JSON
# Schema's regular expressions and the validator's read differently)
_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+{_LABEL}$"
Email = Annotated[
    str,
    StringConstraints(max_length=254),
    Matches(EMAIL_PATTERN, "not_an_email", "must be an email address, such as ops@example.com"),
]


@dataclass(frozen=True)
class OneOf:
    """A text field's schema lists the values taken (read when the document is built)."""

    values: Callable[[], Iterable[str]]

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core), "enum": sorted(self.values())}


# checked by the services (tenancy's validate_currency and validate_timezone), which answer
# 422 invalid_currency or invalid_timezone. The document lists the currencies, which are the
# API's own; not the time zones, which are the server's tz database (they differ between
# machines, and names such as GMT+0 and GMT0 would make one name twice in a generated enum)
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), OneOf(MINOR_UNITS.keys)]
TimeZone = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    Field(
        description="An IANA time zone name, as the server's tz database knows it",
        examples=["Asia/Kuala_Lumpur"],
    ),
]
