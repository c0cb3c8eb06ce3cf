"""The command line as an operator meets it: a failure is one line and an exit code (the
traceback only with ``--debug``), ``serve`` refuses where it cannot listen before it starts,
``check`` names a company it does not know, and progress stays off when output is not a
terminal."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockkeeper.cli import app, try_it
from stockkeeper.cli.listening import can_listen
from stockkeeper.core.migrate import upgrade
from stockkeeper.core.settings import Settings, base_url
from tests.support import Tenant

runner = CliRunner()
UNREACHABLE = "postgresql+psycopg://127.0.0.1:9/stockkeeper?connect_timeout=2"


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def cli_env(database_url: str, database: object, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", database_url)
    return database_url


def test_check_names_a_company_it_does_not_know(cli_env: str, tenant: Tenant) -> None:
    code, out, err = _run("check", "--company", tenant.company_id)
    assert (code, err) == (0, "")  # off a terminal, no progress bar
    assert out.startswith("ok: ")
    code, out, err = _run("check", "--company", "comp_nobody")
    assert (code, out) == (1, "")  # a check that cannot run has failed
    assert err.strip() == "error: no company 'comp_nobody' to check (company_not_found)"


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", UNREACHABLE)
    code, _, err = _run("check")
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("error: the database cannot be reached: ")
    assert line.endswith("(--debug shows the traceback)")
    debugged = runner.invoke(app, ["--debug", "check"])
    assert debugged.exit_code == 1
    assert type(debugged.exception).__name__ == "OperationalError"  # raised, traceback and all


def test_an_unmigrated_database_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    code, _, err = _run("check")
    assert code == 1
    assert re.fullmatch(
        r"error: the database is not migrated; the code needs \w+ \(run: stockkeeper db "
        r"upgrade\) \(--debug shows the traceback\)\n",
        err,
    ), err


def test_an_unknown_revision_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("STOCKKEEPER_DATABASE_URL", url)
    upgrade(Settings(database_url=url))
    code, _, err = _run("db", "upgrade", "zzz")
    assert code == 1
    [line] = err.strip().splitlines()
    assert "zzz" in line and line.startswith("error: CommandError: ")


def test_serve_refuses_where_it_cannot_listen() -> None:
    code, _, err = _run("serve", "--port", "99999", "--no-deliver")
    assert code == 2 and "99999" in err  # out of range: a usage error, before anything starts
    code, _, err = _run("serve", "--host", "no-such-host.invalid", "--no-deliver")
    assert (code, err.startswith("error: cannot listen on 'no-such-host.invalid'")) == (1, True)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = _run("serve", "--port", str(port), "--no-deliver")
        assert (code, err.strip()) == (1, f"error: {can_listen('127.0.0.1', port)}")
        assert f"127.0.0.1:{port}" in err


def test_the_demo_hint_names_where_the_server_listens() -> None:
    settings = Settings(host="0.0.0.0", port=8123)
    hint = try_it("sk_x", "comp_x", settings)
    assert hint.endswith(" http://127.0.0.1:8123/api/v1/items")
    assert [base_url("::", 80), base_url("::1", 81), base_url("shop.example", 82)] == [
        "http://[::1]:80",
        "http://[::1]:81",
        "http://shop.example:82",
    ]
