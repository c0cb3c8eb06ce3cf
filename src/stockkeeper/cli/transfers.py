"""``stockkeeper import items|stock|prices FILE`` and ``stockkeeper export items|stock``: the
files of the imports slice, run in this process through the same job as an upload
(checked whole, then applied in chunks, each its own transaction), with a progress bar on a
terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from stockkeeper.tenancy.service import Actor

Company = Annotated[str, typer.Option("--company", help="Company id")]


class FileFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    """Adds ``import`` and ``export`` to the command line."""
    importing = typer.Typer(
        help="Import items, stock or price lists from CSV or XLSX.", no_args_is_help=True
    )
    exporting = typer.Typer(help="Export items or stock as CSV or XLSX.", no_args_is_help=True)
    importing.command("items")(import_items)
    importing.command("stock")(import_stock)
    importing.command("prices")(import_prices)
    exporting.command("items")(export_items)
    exporting.command("stock")(export_stock)
    app.add_typer(importing, name="import")
    app.add_typer(exporting, name="export")


InputFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and count only")]
SkipInvalid = Annotated[bool, typer.Option("--skip-invalid", help="Apply the rows not at fault")]
Format = Annotated[FileFormat, typer.Option(help="csv or xlsx")]
Output = Annotated[
    Path | None, typer.Option("-o", "--output", help="The file (default: standard output)")
]


def import_items(
    file: InputFile, company: Company, dry_run: DryRun = False, skip_invalid: SkipInvalid = False
) -> None:
    """Imports items and variants (matched by their codes); prints the counts and every row
    at fault. Exit 2 when the file is at fault and nothing was applied, 1 when rows at
    fault were skipped."""
    _import("items", file, company, dry_run, skip_invalid)


def import_stock(
    file: InputFile, company: Company, dry_run: DryRun = False, skip_invalid: SkipInvalid = False
) -> None:
    """Imports opening stock: each row says what a place holds, and the differences from
    the ledger are posted (importing the same file twice changes nothing); prints the
    counts and every row at fault. Exit 2 when the file is at fault and nothing was
    applied, 1 when rows at fault were skipped or refused."""
    _import("stock", file, company, dry_run, skip_invalid)


def import_prices(
    file: InputFile, company: Company, dry_run: DryRun = False, skip_invalid: SkipInvalid = False
) -> None:
    """Imports a price list: each row sets an item's price in a price group (a variant's
    selling price), the other prices kept; prints the counts and every row at fault. Exit
    2 when the file is at fault and nothing was applied, 1 when rows at fault were skipped
    or refused."""
    _import("prices", file, company, dry_run, skip_invalid)


def _import(kind: str, file: Path, company: str, dry_run: bool, skip_invalid: bool) -> None:
    from stockkeeper.cli import _database, _refuse, _unit_of_work, _values
    from stockkeeper.cli.progress import progress
    from stockkeeper.core.errors import DomainError
    from stockkeeper.imports.service.jobs import create_import
    from stockkeeper.imports.service.runner import run_import
    from stockkeeper.imports.values import NewImport
    from stockkeeper.tenancy.service import Actor

    given = {"kind": kind, "file_name": file.name[-255:], "content": file.read_bytes()}
    upload = _values(NewImport, **given, dry_run=dry_run, skip_invalid=skip_invalid)
    with _unit_of_work() as session:
        job = create_import(session, Actor.system(company, "cli"), upload=upload)
        job_id, rows = job.id, job.rows
    database = _database()
    try:
        with progress(f"Importing {kind}", total=rows) as advance:
            done = [0]

            def moved(rows_done: int) -> None:
                advance(rows_done - done[0])
                done[0] = rows_done

            view = run_import(database, company, job_id, advance=moved)
    except DomainError as error:
        _refuse(error)
        raise
    finally:
        database.dispose()
    _summary(view.id, view.state, view.counts, view.errors)
    if view.errors:
        raise typer.Exit(2 if view.state == "failed" else 1)


def _summary(
    job_id: str, state: str, counts: dict[str, int], errors: list[dict[str, object]]
) -> None:
    figures = ", ".join(f"{name} {count}" for name, count in counts.items())
    typer.echo(f"import {job_id}: {state}; {figures}")
    for error in errors:
        column = error["column"] or "(the row)"
        typer.echo(f"row {error['row']}, {column}: {error['reason']}")


def export_items(company: Company, format: Format = FileFormat.csv, output: Output = None) -> None:
    """Exports every item and variant in the columns an import takes."""
    from stockkeeper.imports.service.item_export import items_file
    from stockkeeper.imports.service.item_layout import HEADINGS

    _export(company, format, output, "items", HEADINGS, items_file)


def export_stock(company: Company, format: Format = FileFormat.csv, output: Output = None) -> None:
    """Exports the stock on hand of every place (location, item or variant, bin, batch,
    serial number) in the columns a stock import takes, with the average cost at the
    location as the unit cost."""
    from stockkeeper.imports.service.stock_export import stock_file
    from stockkeeper.imports.service.stock_layout import HEADINGS

    _export(company, format, output, "stock", HEADINGS, stock_file)


def _export(
    company: str,
    format: FileFormat,
    output: Path | None,
    name: str,
    headings: list[str],
    read: Callable[[Session, Actor], Any],
) -> None:
    from stockkeeper.cli import _unit_of_work
    from stockkeeper.reports.service.export import csv_chunks, xlsx_chunks
    from stockkeeper.tenancy.service import Actor, get_company

    with _unit_of_work(write=False) as session:
        get_company(session, company)
        found = read(session, Actor.system(company, "cli"))
    columns = [(heading, heading) for heading in headings]
    if format is FileFormat.csv:
        chunks = csv_chunks(columns, found.rows)
    else:
        chunks = xlsx_chunks(columns, found.rows, name)
    sink: AbstractContextManager[IO[bytes]]
    sink = output.open("wb") if output else nullcontext(sys.stdout.buffer)
    with sink as out:
        for chunk in chunks:
            out.write(chunk)
