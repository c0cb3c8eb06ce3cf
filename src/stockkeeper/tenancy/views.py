"""API keys as the API returns them."""

from __future__ import annotations

from stockkeeper.tenancy.models import ApiKey
from stockkeeper.tenancy.schemas import ApiKeyCreated, ApiKeyRead
from stockkeeper.tenancy.service import CreatedKey


def api_key_read(key: ApiKey) -> ApiKeyRead:
    return ApiKeyRead(
        id=key.id,
        name=key.name,
        role=key.role,
        prefix=key.prefix,
        created_at=key.created_at,
        revoked_at=key.revoked_at,
    )


def api_key_created(created: CreatedKey) -> ApiKeyCreated:
    """The new key with its token: the only time the token is shown."""
    return ApiKeyCreated(**api_key_read(created.key).model_dump(), key=created.token)
