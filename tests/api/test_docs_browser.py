"""/docs and /redoc render in a real browser with nothing but the server to load from: their
assets come from an installed package, not a CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stockkeeper.api.app import create_app
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.api.server import serving

CHROMIUM = Path("/usr/bin/chromium")
# where a screenshot of each page is left, to look at
SCREENSHOTS = Path("/tmp/stockkeeper-docs")
# Redoc's bundle always asks for the "API docs by Redocly" logo in its menu's footer, which
# hides itself when that fails; nothing else may come from elsewhere
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture(scope="module")
def docs_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app, on a database it never opens: the documentation needs none."""
    data = tmp_path_factory.mktemp("docs")
    settings = Settings(environment="test", data_dir=data, database_url=f"sqlite:///{data}/d.db")
    database = Database(settings)
    with TestClient(create_app(settings, database)) as client:
        yield client
    database.dispose()


def test_the_pages_name_no_other_host(docs_app: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = docs_app.get(page)
        assert html.status_code == 200
        assert not re.search(r"(src|href)=\"?(https?:)?//", html.text), html.text
        assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", html.text)
        assert any(asset.endswith(".js") for asset in assets), assets
        for asset in assets:
            served = docs_app.get(asset)
            assert served.status_code == 200, asset
            assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_swagger_ui_and_redoc_render_offline(docs_app: TestClient) -> None:
    from playwright.sync_api import Route, sync_playwright

    elsewhere: list[str] = []
    with serving(docs_app.app) as base, sync_playwright() as playwright:  # type: ignore[arg-type]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()

        def local_only(route: Route) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:  # as if offline: anything from another host fails
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", local_only)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.goto(f"{base}/docs")
        page.locator(".opblock").first.wait_for()
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        page.screenshot(path=SCREENSHOTS / "swagger.png")
        page.goto(f"{base}/redoc")
        page.get_by_role("heading", name=re.compile("^Stockkeeper")).wait_for()
        page.get_by_text("/api/v1/items", exact=True).first.wait_for()
        page.screenshot(path=SCREENSHOTS / "redoc.png")
        browser.close()
    assert len(operations) >= 30
    assert "/api/v1/items" in {o.replace("\u200b", "") for o in operations}
    assert [url for url in elsewhere if url != REDOC_LOGO] == []
