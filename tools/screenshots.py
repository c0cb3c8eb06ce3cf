"""``make screenshots``: the web UI's main screens as PNG files in ``docs/screenshots/``.

Starts ``stockkeeper serve`` on a fresh SQLite database in a temporary directory, seeds the
demo company (``stockkeeper demo``), signs in as its admin through the one-time link the demo
prints, and photographs each screen of ``SCREENS`` at 1280 x 800, and those of ``PHONE`` at
360 px wide as well. A screen whose page does not exist yet (a 404) is skipped and named, so
that the list can hold the screens still to come and picks them up when they arrive. Needs
Debian's chromium (``/usr/bin/chromium``) and the ``dev`` extra (Playwright).

    python tools/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE_SIZE: ViewportSize = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Screen:
    name: str  # the file's name, without .png
    path: str  # may name ``{item}`` or ``{adjustment}``: one of the demo's


SCREENS = (
    Screen("home", "/"),
    Screen("items", "/items"),
    Screen("item", "/items/{item}"),
    Screen("stock", "/stock"),
    Screen("movements", "/movements"),
    Screen("adjustment-form", "/adjustments/new"),
    Screen("adjustment", "/adjustments/{adjustment}"),
    Screen("transfers", "/transfers"),
    Screen("purchase-orders", "/purchase-orders"),
    Screen("receiving-by-scan", "/purchase-orders/{order}/scan"),
    Screen("counts", "/counts"),
    Screen("count", "/counts/{count}"),
    Screen("settings", "/settings"),
    Screen("people", "/people"),
    Screen("api-keys", "/api-keys"),
    Screen("valuation", "/reports/valuation"),
    Screen("abc", "/reports/abc"),
    Screen("alerts", "/alerts"),
)
# also photographed at 360 px, as *-phone.png
PHONE = ("home", "stock", "item", "adjustment-form", "receiving-by-scan", "count", "valuation")


@dataclass(frozen=True)
class Demo:
    base: str
    company_id: str
    key: str
    sign_in_link: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary, serving(Path(temporary)) as demo:
        taken, skipped = photograph(demo, out)
    print(f"wrote {len(taken)} screenshots to {out}: {', '.join(taken)}")
    if skipped:
        print(f"skipped (no such page yet): {', '.join(skipped)}")


def _environment(directory: Path, port: int) -> dict[str, str]:
    return os.environ | {
        "STOCKKEEPER_ENVIRONMENT": "development",
        "STOCKKEEPER_DATA_DIR": str(directory),
        "STOCKKEEPER_DATABASE_URL": f"sqlite:///{directory / 'stockkeeper.db'}",
        "STOCKKEEPER_HOST": "127.0.0.1",
        "STOCKKEEPER_PORT": str(port),
    }


@contextmanager
def serving(directory: Path) -> Iterator[Demo]:
    """The demo company on a fresh database, served until the block ends."""
    port = _free_port()
    env = _environment(directory, port)
    command = [sys.executable, "-m", "stockkeeper"]
    subprocess.run([*command, "db", "upgrade"], env=env, check=True, capture_output=True)
    seeded = subprocess.run([*command, "demo"], env=env, check=True, capture_output=True, text=True)
    serve = [*command, "serve", "--workers", "1", "--no-deliver", "--no-access-log"]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server)
        yield _demo(base, seeded.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _demo(base: str, printed: str) -> Demo:
    """What ``stockkeeper demo`` printed: the company, its admin key, the sign-in link."""
    company = re.search(r"\((?:new|existing)\): (\S+)", printed)
    key = re.search(r"Admin API key \(shown once\): (\S+)", printed)
    link = re.search(r"Web UI: sign in once, within the hour, at (\S+)", printed)
    if not (company and key and link):
        raise SystemExit(f"stockkeeper demo printed what this script cannot read:\n{printed}")
    return Demo(base, company.group(1), key.group(1), link.group(1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the server stopped:\n{error}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def _examples(demo: Demo) -> dict[str, str]:
    """The demo's records the screens of one record show: an item with stock, an adjustment."""
    headers = {"Authorization": f"Bearer {demo.key}", "X-Company-Id": demo.company_id}
    with httpx.Client(base_url=demo.base, headers=headers) as api:
        stock = api.get("/api/v1/inventory/stock", params={"limit": 1}).json()["data"]
        adjustments = api.get("/api/v1/inventory/adjustments", params={"limit": 1}).json()
        found = {"item": stock[0]["itemId"] if stock else ""}
        found["adjustment"] = adjustments["data"][0]["id"] if adjustments.get("data") else ""
        return found | _floor(api, stock[0] if stock else None)


def _floor(api: httpx.Client, stock: dict[str, Any] | None) -> dict[str, str]:
    """An order still open (the demo's half received one), and a count opened where the
    first item has stock, with two scans of it."""
    orders = api.get("/api/v1/purchase-orders", params={"status": "partially_received"}).json()
    found = {"order": orders["data"][0]["id"] if orders.get("data") else "", "count": ""}
    if stock is not None:
        opened = api.post("/api/v1/inventory/counts", json={"locationId": stock["locationId"]})
        found["count"] = opened.json()["data"]["id"] if opened.status_code == 201 else ""
        scans = [{"itemId": stock["itemId"], "add": 1}] * 2
        api.post(f"/api/v1/inventory/counts/{found['count']}/lines", json={"entries": scans})
    return found


def photograph(demo: Demo, out: Path) -> tuple[list[str], list[str]]:
    """Every screen that exists, signed in as the demo's admin: the names written, and the
    names skipped."""
    examples = _examples(demo)
    taken: list[str] = []
    skipped: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        state = _signed_in(browser, demo)
        for size, names, suffix in ((DESKTOP, None, ""), (PHONE_SIZE, PHONE, "-phone")):
            context = browser.new_context(base_url=demo.base, viewport=size, storage_state=state)
            page = context.new_page()
            for screen in SCREENS:
                if names is not None and screen.name not in names:
                    continue
                name = screen.name + suffix
                if _shot(page, _address(screen, examples), out / f"{name}.png"):
                    taken.append(name)
                elif name not in skipped and not suffix:
                    skipped.append(screen.name)
            context.close()
        browser.close()
    return taken, skipped


def _signed_in(browser: Browser, demo: Demo) -> Any:
    """The cookies of a session signed in through the demo's one-time link."""
    context = browser.new_context(base_url=demo.base)
    page = context.new_page()
    page.goto(demo.sign_in_link)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome").wait_for()
    state = context.storage_state()
    context.close()
    return state


def _address(screen: Screen, examples: dict[str, str]) -> str | None:
    """The screen's path, with the demo's record it shows (None if the demo has none)."""
    needed = re.findall(r"\{(\w+)\}", screen.path)
    if not all(examples.get(name) for name in needed):
        return None
    return screen.path.format(**examples)


def _shot(page: Page, path: str | None, file: Path) -> bool:
    """Photographs the page at ``path``; False when it does not exist (yet)."""
    if path is None:
        return False
    answer = page.goto(path)
    if answer is None or answer.status == 404:
        return False
    if answer.status >= 400:  # a screen that exists and fails is not to be photographed
        raise SystemExit(f"{path} answered {answer.status}")
    page.screenshot(path=str(file))
    return True


if __name__ == "__main__":
    main()
