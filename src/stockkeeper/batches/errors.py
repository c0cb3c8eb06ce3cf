"""What a batch refuses as a whole: an atomic batch one of whose documents is refused."""

from __future__ import annotations

from dataclasses import replace

from stockkeeper.core.errors import DomainError, Invalid, field_error


class DocumentRefused(Invalid):
    """A document of an atomic batch was refused, so none was posted: its index, its type
    and its own problem (``problem``: status, title, code and details), its fields at fault
    under ``documents.<index>``."""

    code = "batch_document_refused"
    example = "documents.3 (issue): not enough stock; nothing in the batch was posted"

    def __init__(self, index: int, document_type: str, refused: DomainError) -> None:
        at = f"documents.{index}"
        errors = [replace(e, field=f"{at}.{e.field}") for e in refused.errors]
        super().__init__(
            f"{at} ({document_type}): {refused.detail}; nothing in the batch was posted",
            errors=errors or [field_error(at, refused.detail, refused.code)],
            index=index,
            document_type=document_type,
            problem={
                "status": refused.kind.status,
                "title": refused.kind.title,
                "code": refused.code,
                **refused.details,
            },
        )
        # the fields at fault say it in each face's names
        self.detail_from_errors = refused.detail_from_errors
