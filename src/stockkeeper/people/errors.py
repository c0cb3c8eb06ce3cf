"""The people slice's refusals."""

from __future__ import annotations

from stockkeeper.core.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized


class WrongPassword(Unauthorized):
    """The email and password do not match an account that may sign in (which of the two is
    wrong is not said)."""

    code = "wrong_email_or_password"
    example = "the email or the password is wrong"

    def __init__(self) -> None:
        super().__init__(self.example)


class TooManyAttempts(TooManyRequests):
    code = "too_many_sign_in_attempts"
    example = "too many failed sign-ins; try again in 900 seconds"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"too many failed sign-ins; try again in {minutes} minute{'s' * (minutes != 1)}",
            retry_after=retry_after,
        )


class TooManyResetAsks(TooManyRequests):
    code = "too_many_reset_asks"
    example = "too many asks for a link; try again in 15 minutes"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"too many asks for a link; try again in {minutes} minute{'s' * (minutes != 1)}",
            retry_after=retry_after,
        )


class LinkNotValid(NotFound):
    """A one-time link that is unknown, used already or expired: all three look the same."""

    def __init__(self) -> None:
        super().__init__("link", "given")
        self.detail = "this link is not valid: it was used already, or it expired"


class LastAdmin(Conflict):
    code = "last_admin"
    example = "the company's last admin cannot be removed or lose the admin role"

    def __init__(self) -> None:
        super().__init__(self.example)


class NotAMember(Forbidden):
    code = "not_a_member"
    example = "you are not a member of this company"

    def __init__(self) -> None:
        super().__init__(self.example)
