"""What the company's settings refuse, one class per error code."""

from __future__ import annotations

from stockkeeper.core.errors import Forbidden, Invalid, Unauthorized, field_error


class InvalidCurrency(Invalid):
    code = "invalid_currency"
    example = "'XYZ' is not an ISO 4217 currency code"

    def __init__(self, currency: str, field: str) -> None:
        super().__init__(
            f"{currency!r} is not an ISO 4217 currency code",
            errors=[field_error(field, "not an ISO 4217 currency code")],
        )


class InvalidTimezone(Invalid):
    code = "invalid_timezone"
    example = "not an IANA time zone"

    def __init__(self) -> None:
        super().__init__(
            "not an IANA time zone",
            errors=[field_error("timezone", "not an IANA time zone, such as Asia/Kuala_Lumpur")],
        )


# --- who may act ------------------------------------------------------------------------------


class MissingApiKey(Unauthorized):
    code = "missing_api_key"
    example = "send an API key as 'Authorization: Bearer <key>'"

    def __init__(self) -> None:
        super().__init__(self.example)


class InvalidApiKey(Unauthorized):
    code = "invalid_api_key"
    example = "the API key is unknown or revoked"

    def __init__(self) -> None:
        super().__init__(self.example)


class MissingCompanyId(Forbidden):
    code = "missing_company_id"
    example = "send the company id in the X-Company-Id header"

    def __init__(self) -> None:
        super().__init__(self.example)


class WrongCompany(Forbidden):
    code = "wrong_company"
    example = "the API key does not belong to this company"

    def __init__(self) -> None:
        super().__init__(self.example)


class RoleTooWeak(Forbidden):
    code = "role_too_weak"
    example = "this needs the admin role; the key has clerk"

    def __init__(self, needs: str, has: str) -> None:
        super().__init__(f"this needs the {needs} role; the key has {has}")
