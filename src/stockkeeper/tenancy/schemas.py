from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from stockkeeper.core.api_model import ApiModel

RoleName = Literal["admin", "clerk", "viewer"]


class ApiKeyCreate(ApiModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = (
        Field(examples=["Warehouse scanner 3"])
    )
    role: RoleName = Field(examples=["clerk"])


class ApiKeyRead(ApiModel):
    id: str
    name: str
    role: RoleName
    prefix: str = Field(description="The first characters of the key, to recognise it")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself: shown this once, never again")
