"""The command line: ``stockkeeper --help``. Honours ``STOCKKEEPER_DATABASE_URL``.

A command works in one unit of work, as the system actor ``cli`` of its company. A refusal
is one line on stderr (``error: <detail> (<code>)``) and an exit code by its kind: 1 refused
(a conflict, or differences found by ``check``), 2 bad usage or invalid values, 3 not found,
4 not permitted, 75 busy (try again). Any other failure (a database that cannot be reached,
or is not migrated, an unknown revision) is one line too, and exit 1; ``--debug`` shows its
traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer._click.core import Context as ClickContext  # the type typer's commands take
from typer.core import TyperGroup

from stockkeeper.cli.progress import progress
from stockkeeper.core import metrics, readiness
from stockkeeper.core.db import Database
from stockkeeper.core.errors import DomainError, Invalid, Kind, field_error
from stockkeeper.core.locks import busy, is_busy, is_unreachable
from stockkeeper.core.settings import SERVE_PID, Settings, base_url, load_settings


class _OneLineFailures(TyperGroup):
    """A failure no command refused by itself is one line on stderr and exit 1, unless
    ``--debug`` asks for its traceback."""

    def invoke(self, ctx: ClickContext) -> object:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            typer.echo(f"error: {failure(error)} (--debug shows the traceback)", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_OneLineFailures,
    help="Stockkeeper: inventory and stock-ledger service.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
company_app = typer.Typer(help="Companies (tenants).", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(company_app, name="company")
app.add_typer(apikey_app, name="apikey")

Role = typer.Option(help="admin, clerk or viewer")
V = TypeVar("V", bound=BaseModel)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show a failure's traceback")] = False,
) -> None:
    """Stockkeeper: inventory and stock-ledger service."""


def failure(error: Exception) -> str:
    """One line saying what went wrong, in words an operator can act on."""
    if isinstance(error, DBAPIError):
        if is_unreachable(error):
            return f"the database cannot be reached: {first_line(error.orig)}"
        database = _database()
        try:
            state = readiness.check(database)
        finally:
            database.dispose()
        if state.reached and state.revision != state.head:
            return f"the database is {state.problem}"
    return f"{type(error).__name__}: {first_line(error)}"


def first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""


def _database() -> Database:
    return Database(load_settings())


# each kind of refusal's exit code; every other kind is 1, refused
EXIT_CODES = {
    Kind.INVALID: 2,
    Kind.BAD_REQUEST: 2,
    Kind.TOO_LARGE: 2,
    Kind.UNSUPPORTED_MEDIA_TYPE: 2,
    Kind.NOT_FOUND: 3,
    Kind.UNAUTHORIZED: 4,
    Kind.FORBIDDEN: 4,
    Kind.BUSY: 75,
}


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def _unit_of_work(*, write: bool = True) -> Iterator[Session]:
    """A session in one unit of work on the configured database; a refusal ends the command
    with its one-line message and its kind's exit code."""
    database = _database()
    try:
        with database.unit_of_work(write=write) as session:
            yield session
    except DBAPIError as error:
        if not is_busy(error):
            raise
        _refuse(busy())
    except DomainError as error:
        _refuse(error)
    finally:
        database.dispose()


def _refuse(error: DomainError) -> None:
    _fail(f"{error.detail} ({error.code})", EXIT_CODES.get(error.kind, 1))


def _values(model: type[V], **given: object) -> V:
    """The command's values, or its refusal as a bad usage (exit 2) naming each field."""
    try:
        return model.model_validate(given)
    except ValidationError as error:
        fields = [field_error(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
        _refuse(Invalid.fields(fields))
        raise  # never reached: the refusal exits


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port to listen on")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes  [default: one per core]"),
    ] = None,
    deliver: Annotated[
        bool, typer.Option(help="Run a worker beside the API (webhooks, alert checks, emails)")
    ] = True,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (off behind a proxy that logs them)")
    ] = True,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) from one process per core (``--workers``),
    with a worker process beside them."""
    import uvicorn

    from stockkeeper.cli.listening import can_listen

    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    problem = can_listen(host, port)
    if problem:
        _fail(problem)
    # the server's processes read their settings from the environment, as this one did
    os.environ["STOCKKEEPER_LOG_REQUESTS"] = "true" if access_log else "false"
    os.environ[SERVE_PID] = str(os.getpid())  # they stop when this process is gone
    with _beside_the_server(settings, deliver=deliver):
        typer.echo(f"serving on {base_url(host, port)} (docs at /docs)", err=True)
        uvicorn.run(
            "stockkeeper.api.app:serve_app",
            factory=True,
            host=host,
            port=port,
            workers=workers or cores(),
            log_config=None,  # the app's own (stockkeeper.core.logs), in every process
            access_log=False,  # the app logs each request, with its id and route
            # the client's address is the app's to find (STOCKKEEPER_TRUSTED_PROXIES)
            proxy_headers=False,
        )


def cores() -> int:
    """The cores this process may run on: ``serve`` starts one server process a core."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return max(1, os.process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@contextmanager
def _beside_the_server(settings: Settings, *, deliver: bool) -> Iterator[None]:
    """What runs while the server does: the metrics (one endpoint for all its processes) and
    a worker process, so that sending webhooks never competes with requests for the
    interpreter lock; the worker stops with the server, or by itself when it is gone."""
    metrics.setup_multiprocess(settings)  # before any child: they count into its directory
    database = Database(settings)
    scraped = metrics.start_metrics_server(settings, database)
    if scraped is not None:
        where = base_url(settings.metrics_host, settings.metrics_port or 0)
        typer.echo(f"metrics on {where}/metrics", err=True)
    command = [sys.executable, "-m", "stockkeeper.worker", "--parent", str(os.getpid())]
    beside = subprocess.Popen(command) if deliver else None  # noqa: S603 (our own)
    try:
        yield
    finally:
        if beside is not None:
            beside.terminate()
            beside.wait(timeout=30)
        if scraped is not None:
            scraped.shutdown()
        database.dispose()


@app.command()
def worker(
    parent: Annotated[
        int | None, typer.Option(hidden=True, help="Stop when this process is gone")
    ] = None,
) -> None:
    """Deliver webhooks from the outbox, check alerts and send their emails (and on a
    PostgreSQL server without autovacuum, analyze the tables that changed), until stopped
    (SIGINT or SIGTERM)."""
    # the worker is a face of its own: this process becomes it
    command = [sys.executable, "-m", "stockkeeper.worker", *_parent(parent)]
    os.execv(sys.executable, command)  # noqa: S606 (our own interpreter and arguments)


def _parent(parent: int | None) -> list[str]:
    return [] if parent is None else ["--parent", str(parent)]


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Migrate the database to the latest schema (creates a SQLite file if needed)."""
    from stockkeeper.core.migrate import upgrade

    upgrade(load_settings(), revision)
    typer.echo(f"database at {revision}", err=True)


@company_app.command("create")
def company_create(
    name: str,
    currency: Annotated[str, typer.Option(help="ISO 4217 code")] = "USD",
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "UTC",
) -> None:
    """Create a company; prints its id alone on stdout."""
    from stockkeeper.stock.service.provisioning import provision_company

    with _unit_of_work() as session:
        company = provision_company(session, name=name, currency=currency, timezone=timezone)
        company_id = company.id
    typer.echo(company_id)


@apikey_app.command("create")
def apikey_create(
    company: Annotated[str, typer.Option(help="Company id")],
    role: Annotated[str, Role],
    name: Annotated[str, typer.Option(help="A name to recognise the key by")] = "",
) -> None:
    """Create an API key; prints the key alone on stdout. It is never shown again."""
    from stockkeeper.tenancy.service import Actor, NewApiKey, create_api_key
    from stockkeeper.tenancy.service import Role as Roles

    if role not in Roles.__members__:
        _fail(f"unknown role {role!r}: use admin, clerk or viewer", 2)
    key = _values(NewApiKey, role=role, name=name.strip() or None)
    with _unit_of_work() as session:
        _, token = create_api_key(session, Actor.system(company, "cli"), key=key)
    typer.echo(token)


@apikey_app.command("list")
def apikey_list(company: Annotated[str, typer.Option(help="Company id")]) -> None:
    """List a company's keys: id, role, state, prefix, name (tab-separated)."""
    from stockkeeper.tenancy.service import Actor, get_company, list_api_keys

    with _unit_of_work(write=False) as session:
        get_company(session, company)
        for key in list_api_keys(session, Actor.system(company, "cli")):
            state = "revoked" if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.role}\t{state}\t{key.prefix}…\t{key.name}")


@apikey_app.command("revoke")
def apikey_revoke(key_id: str, company: Annotated[str, typer.Option(help="Company id")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    from stockkeeper.tenancy.service import Actor, revoke_api_key

    with _unit_of_work() as session:
        revoke_api_key(session, Actor.system(company, "cli"), key_id=key_id)
    typer.echo(f"revoked {key_id}", err=True)


@app.command("purge-idempotency-keys")
def purge_idempotency_keys(
    hours: Annotated[int, typer.Option(min=24, help="Forget keys older than this")] = 24,
) -> None:
    """Forget idempotency keys older than HOURS (at least 24); prints how many."""
    from datetime import timedelta

    from stockkeeper.core.idempotency import purge

    with _unit_of_work() as session, progress("Forgetting old idempotency keys"):
        count = purge(session, timedelta(hours=hours))
    typer.echo(count)


@app.command("purge-events")
def purge_events(
    days: Annotated[int, typer.Option(min=1, help="Forget what is older than this")] = 30,
) -> None:
    """Forget delivered events with their deliveries and attempts, and sent alert emails,
    older than DAYS; pending ones are kept. Prints how many events and emails went."""
    from datetime import timedelta

    from stockkeeper.alerts.service import mail
    from stockkeeper.core.types import utcnow
    from stockkeeper.webhooks.service import subscriptions as service

    before = utcnow() - timedelta(days=days)
    with _unit_of_work() as session, progress("Forgetting delivered events and sent emails"):
        events, emails = service.purge(session, before), mail.purge(session, before)
    typer.echo(f"events: {events}, emails: {emails}")


@app.command()
def check(
    company: Annotated[str | None, typer.Option(help="Check one company only")] = None,
) -> None:
    """Rebuild stock levels from the ledger (and what is on order from the open purchase
    orders) and compare, and tie the journals out with the valuation; exit 1 naming every
    difference."""
    from stockkeeper.cli.checks import check_everything
    from stockkeeper.stock.service.check import ledger_size
    from stockkeeper.tenancy.models import Company

    with _unit_of_work(write=False) as session, progress("Checking", total=3) as advance:
        if company is not None and session.get(Company, company) is None:
            # a check that cannot run has failed, as one that finds differences: exit 1
            _fail(f"no company {company!r} to check (company_not_found)")
        problems = check_everything(session, company, advance)
        movements, levels = ledger_size(session)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        _fail(f"{len(problems)} difference(s) between the ledger and the stock figures")
    typer.echo(
        f"ok: {levels} stock levels agree with {movements} movements, "
        "and the journals tie out with the valuation"
    )


@app.command()
def demo(
    once: Annotated[
        bool, typer.Option("--once", help="Seed only if no demo company exists yet")
    ] = False,
) -> None:
    """Create a demo company with a catalogue, and print its id, a new admin key and a
    one-time link to sign in to the web UI as its admin."""
    from stockkeeper.cli.demo import DEMO_NAME, find_demo_company, seed_demo_showing_progress
    from stockkeeper.cli.people import demo_sign_in
    from stockkeeper.tenancy.service import Actor, NewApiKey, create_api_key

    key = NewApiKey(role="admin", name="demo admin")
    with _unit_of_work() as session:
        existing = find_demo_company(session) if once else None
        company_id = existing or seed_demo_showing_progress(session)
        _, token = create_api_key(session, Actor.system(company_id, "cli"), key=key)
        sign_in = demo_sign_in(session, company_id)
    state = "existing" if existing else "new"
    typer.echo(f"{DEMO_NAME} ({state}): {company_id}")
    typer.echo(f"Admin API key (shown once): {token}")
    typer.echo(try_it(token, company_id, load_settings()))
    typer.echo(f"Web UI: sign in once, within the hour, at {sign_in}")


def try_it(token: str, company_id: str, settings: Settings) -> str:
    """A first request to make, at the address ``stockkeeper serve`` listens on by the same
    settings."""
    return (
        f'Try: curl -H "Authorization: Bearer {token}" -H "X-Company-Id: {company_id}" '
        f"{base_url(settings.host, settings.port)}/api/v1/items"
    )


def _register_commands() -> None:
    """Commands kept in modules of their own."""
    from stockkeeper.cli import backup, people, transfers

    backup.register(app)
    transfers.register(app)
    people.register(app)


_register_commands()


def main() -> None:
    from stockkeeper.alerts.service.raising import install

    install()  # postings made here (the demo) raise alerts too
    app(prog_name="stockkeeper")


if __name__ == "__main__":
    main()
