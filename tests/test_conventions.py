"""The cheapest conventions, kept by tests: import direction, no commits in services, no floats."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "stockkeeper"

# Each slice may import only from the slices before it (and itself).
ORDER = [
    "core",
    "tenancy",
    "catalog",
    "stock",
    "adjustments",
    "transfers",
    "sales",
    "purchasing",
    "costing",
    "reports",
    "webhooks",
    "alerts",
]
ENTRYPOINTS = {
    "api",
    "app",
    "checks",
    "cli",
    "demo",
    "provisioning",
    "db_models",
    "migrations",
    "__main__",
}


def _slice(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _imported_slices(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("stockkeeper.")
        ):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("stockkeeper.")}
    return found


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_slices_import_only_to_their_left(path: Path) -> None:
    own = _slice(path)
    if own in ENTRYPOINTS or own == "__init__":
        return
    allowed = set(ORDER[: ORDER.index(own) + 1])
    wrong = _imported_slices(path) - allowed
    assert not wrong, f"{path.relative_to(SRC)} imports {sorted(wrong)}, to the right of {own}"


def test_services_never_commit_and_domain_code_has_no_floats() -> None:
    for path in _sources():
        text = path.read_text()
        name = str(path.relative_to(SRC))
        if "service" in name:
            assert ".commit(" not in text, name
        if _slice(path) not in ENTRYPOINTS:
            assert "float(" not in text, name
