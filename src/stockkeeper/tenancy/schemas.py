"""API keys as the API shows them, and the body that creates one."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from stockkeeper.core.api_model import ApiModel
from stockkeeper.core.values import Name
from stockkeeper.tenancy.service import NewApiKey, RoleName


class ApiKeyCreate(NewApiKey, ApiModel):
    name: Name = Field(examples=["Warehouse scanner 3"])


class ApiKeyRead(ApiModel):
    id: str
    name: str
    role: RoleName
    prefix: str = Field(description="The first characters of the key, to recognise it")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself: shown this once, never again")
