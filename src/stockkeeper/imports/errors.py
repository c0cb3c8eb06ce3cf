"""What the import use cases refuse, beside the kinds every slice shares."""

from __future__ import annotations

from stockkeeper.core.errors import Invalid


class UnreadableFile(Invalid):
    """The upload is not a CSV or XLSX file this import can read at all (its rows are not
    checked: nothing is stored)."""

    code = "unreadable_import_file"
    example = "the file is neither UTF-8 CSV nor an XLSX workbook"
