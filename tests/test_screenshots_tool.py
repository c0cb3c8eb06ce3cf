"""``tools/screenshots.py`` (``make screenshots``): it reads what ``stockkeeper demo`` prints
as the README shows it, and it names the screens it cannot photograph yet."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_it_reads_the_demo_as_the_readme_shows_it() -> None:
    tool = _tool()
    readme = (ROOT / "README.md").read_text()
    printed = re.search(r"```text\n(Demo Trading Sdn Bhd \(new\).*?)```", readme, re.S)
    assert printed is not None
    demo = tool._demo("http://127.0.0.1:8000", printed.group(1))
    assert demo.company_id.startswith("comp_") and demo.key.startswith("sk_")
    assert "/sign-in/link/" in demo.sign_in_link
    with pytest.raises(SystemExit):
        tool._demo("http://127.0.0.1:8000", "something else")


def test_a_screen_of_a_record_the_demo_lacks_is_skipped() -> None:
    tool = _tool()
    names = [screen.name for screen in tool.SCREENS]
    assert len(names) == len(set(names)) and set(tool.PHONE) <= set(names)
    item = tool.Screen("item", "/items/{item}")
    assert tool._address(item, {"item": "item_1"}) == "/items/item_1"
    assert tool._address(item, {"item": ""}) is None
    assert tool._address(tool.Screen("stock", "/stock"), {}) == "/stock"
