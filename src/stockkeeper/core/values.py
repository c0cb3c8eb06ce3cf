"""The typed input of service functions: the domain's own names, checked as far as can be
without the database. Each face builds them from what it was sent (the canonical API's
schemas are these models with camelCase names laid over them), so every face is checked
alike, and a service never sees a face's shape."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from stockkeeper.core.text import code_text, free_text, name_text


class Values(BaseModel):
    """A service's typed input; ``given`` tells a field that was sent from one left out."""

    model_config = ConfigDict(extra="forbid")

    def given(self, name: str) -> bool:
        return name in self.model_fields_set


# text fields most documents share
Text = Annotated[str, free_text(2000)]
Reference = Annotated[str, code_text(100, required=False)]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Name = Annotated[str, name_text(100)]
