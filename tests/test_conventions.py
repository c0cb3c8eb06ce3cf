"""The cheapest conventions, kept by tests: the import direction exactly as the README writes
it, no commits in domain code, no floats, thin routes, and the sizes of functions and
modules."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "stockkeeper"


@dataclass(frozen=True)
class Direction:
    """The README's import direction: slices in order (a set of peers at each step), faces,
    and what stands apart."""

    steps: list[set[str]]
    faces: set[str]
    apart: set[str]

    def rank(self, name: str) -> int:
        return next(n for n, step in enumerate(self.steps) if name in step)

    @property
    def slices(self) -> set[str]:
        return set().union(*self.steps)


def _names(text: str) -> set[str]:
    """``api (with every slice's routes), cli`` -> {api, cli}: what the parentheses say is
    explained by the rules below."""
    return {re.sub(r"\(.*?\)", "", part).strip() for part in re.split(r",(?![^(]*\))", text)}


def _direction() -> Direction:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```text\nslices: (.*)\nfaces: (.*)\napart: (.*)\n```", readme)
    assert block, "the README writes the import direction in a text block"
    chain, faces, apart = block.groups()
    steps = [
        {name.strip() for name in step.strip().strip("{}").split(",")} for step in chain.split("←")
    ]
    return Direction(steps, _names(faces), _names(apart))


DIRECTION = _direction()


def _unit(path: Path) -> str:
    """Where a source file belongs: its slice, or the face or part that stands apart; a
    slice's routes, the dialects and the web UI belong to the HTTP face, ``__main__`` to the
    command line, ``db_models`` to the migrations."""
    parts = path.relative_to(SRC).with_suffix("").parts
    if (len(parts) > 1 and parts[1] == "routes") or parts[0] in ("compat", "web"):
        return "api"
    return {"__main__": "cli", "db_models": "migrations"}.get(parts[0], parts[0])


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n.split(".")[1] for n in names if n.startswith("stockkeeper.")}
    return found


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p != SRC / "__init__.py")


def _domain(path: Path) -> bool:
    return _unit(path) in DIRECTION.slices


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_the_way_the_readme_says(path: Path) -> None:
    own = _unit(path)
    known = DIRECTION.slices | DIRECTION.faces | DIRECTION.apart
    assert own in known, f"{path.relative_to(SRC)}: {own} is not named in the README"
    imported = _imports(path) - {own}
    name = path.relative_to(SRC)
    if own in DIRECTION.faces:
        wrong = imported & (DIRECTION.faces - {own})
        assert not wrong, f"{name}: the {own} face imports the faces {sorted(wrong)}"
    elif own in DIRECTION.slices:
        rank = DIRECTION.rank(own)
        wrong = {i for i in imported if i not in DIRECTION.slices or DIRECTION.rank(i) >= rank}
        assert not wrong, f"{name}: {own} imports {sorted(wrong)}, not to its left"


# what a dialect may import beside its own package: the slices' services, views, typed values
# and errors, a few of core's types, and the HTTP plumbing it shares with the canonical API
_DIALECT_IMPORTS = re.compile(
    r"stockkeeper\.("
    r"compat|[a-z_]+\.(service|views)(\.[a-z_]+)?|[a-z_]+\.(values|errors)"
    r"|core\.(api_model|clock|record_numbers|text)|api\.(deps|http|problems|responses)"
    r")"
)
# the ledger's writer, the level locks and the document kernel are the services' own parts
_SERVICES_OWN = {"stock.service.ledger", "stock.service.levels", "stock.service.documents"}


def _dialects() -> list[Path]:
    return sorted(p for p in (SRC / "compat").rglob("*.py") if p.parent != SRC / "compat")


def _services_own(name: str) -> bool:
    inner = name.removeprefix("stockkeeper.")
    return any(inner == part or inner.startswith(part + ".") for part in _SERVICES_OWN)


def _allowed_in_dialect(name: str) -> bool:
    return bool(_DIALECT_IMPORTS.fullmatch(name)) and not _services_own(name)


@pytest.mark.parametrize("path", _dialects(), ids=lambda p: str(p.relative_to(SRC)))
def test_dialects_import_only_services_views_and_their_own_schemas(path: Path) -> None:
    own = "stockkeeper." + ".".join(path.relative_to(SRC).parts[:2])
    wrong = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            # ``from a.b import c``: a.b itself, or each c a module of it
            module = node.module
            names = [f"{module}.{a.name}" for a in node.names]
            fine = _allowed_in_dialect(module) or all(map(_allowed_in_dialect, names))
            fine = fine and not any(map(_services_own, names))
            if module.startswith("stockkeeper.compat.") and not module.startswith(own):
                fine = False  # another dialect
        elif isinstance(node, ast.Import):
            module = node.names[0].name
            fine = all(_allowed_in_dialect(a.name) for a in node.names)
        else:
            continue
        if module.startswith("stockkeeper.") and not module.startswith(own) and not fine:
            wrong.append(module)
    assert not wrong, f"{path.relative_to(SRC)} imports {wrong}: a dialect is a mapping"


def test_the_readme_names_every_part_of_the_code() -> None:
    named = DIRECTION.slices | DIRECTION.faces | DIRECTION.apart
    parts = {_unit(path) for path in _sources()}
    assert parts <= named, f"not in the README's direction: {sorted(parts - named)}"
    assert DIRECTION.slices <= parts, f"named but missing: {sorted(DIRECTION.slices - parts)}"


def test_domain_code_never_commits_and_has_no_floats() -> None:
    for path in filter(_domain, _sources()):
        text = path.read_text()
        name = path.relative_to(SRC)
        if path == SRC / "core" / "db.py":  # the unit of work itself
            continue
        assert ".commit(" not in text, f"{name} commits: the entrypoint owns the transaction"
        assert "float(" not in text, f"{name} uses a float"


def _routes() -> list[Path]:
    return [p for p in _sources() if _unit(p) == "api"]


def _decorated_by_router(node: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and isinstance(d.func.value, ast.Name)
        and d.func.value.id == "router"
        for d in node.decorator_list
    )


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From ``def`` to the function's last line, decorators excluded."""
    return (node.end_lineno or node.lineno) - node.lineno + 1


@pytest.mark.parametrize("path", _routes(), ids=lambda p: str(p.relative_to(SRC)))
def test_routes_parse_call_one_service_and_render(path: Path) -> None:
    tree = ast.parse(path.read_text())
    name = path.relative_to(SRC)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and _decorated_by_router(node):
            body = _length(node) - (node.body[0].lineno - node.lineno)
            assert body <= 10, f"{name}: {node.name} has a body of {body} lines"
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    writers = {"stockkeeper.core.outbox", "stockkeeper.core.audit"} & imported
    assert not writers, f"{name} imports {sorted(writers)}: services write events and audit rows"


def _sized() -> list[Path]:
    return [p for p in _sources() if _unit(p) != "migrations"]


@pytest.mark.parametrize("path", _sized(), ids=lambda p: str(p.relative_to(SRC)))
def test_functions_and_modules_stay_small(path: Path) -> None:
    """STYLE.md aims at 40 and 400 lines; these are the limits."""
    text = path.read_text()
    name = path.relative_to(SRC)
    assert len(text.splitlines()) <= 450, f"{name} has {len(text.splitlines())} lines"
    long = [
        f"{node.name} ({_length(node)} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _length(node) > 50
    ]
    assert not long, f"{name}: {', '.join(long)}"


def test_each_resource_path_is_served_by_one_routes_module() -> None:
    from fastapi.routing import APIRoute

    from stockkeeper.api.app import ROUTERS

    served: dict[str, set[str]] = {}
    for module in ROUTERS:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            resource = route.path.split("/{")[0]
            served.setdefault(resource, set()).add(module.__name__)
    shared = {path: sorted(modules) for path, modules in served.items() if len(modules) > 1}
    assert not shared, f"served by more than one routes module: {shared}"
    assert "/api/v1/inventory/stock" in served and "/api/v1/suppliers" in served
