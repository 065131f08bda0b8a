"""Run by ``test_no_deprecations`` in a fresh interpreter (``python -m
tests.platform.deprecation_probe HOME``): imports the platform, migrates a new SQLite home,
writes a small catalogue and renders pages, recording every DeprecationWarning and
FutureWarning whose stack passes through ``src/aiplus``. Prints them as JSON lines and exits 1
if there are any.

A fresh interpreter, because most deprecations fire once, at import or first use: inside the
test process, earlier tests would already have used them up.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient  # the harness's own warnings are not the product's

import aiplus

OURS = Path(aiplus.__file__).resolve().parent
WATCHED = (DeprecationWarning, FutureWarning)
PAGES = ("/", "/login", "/register", "/enquiry", "/responsible", "/docs", "/openapi.json",
         "/data/search?q=traffic",
         "/api/3/action/package_search?q=traffic", "/api/3/action/organization_list")


def _our_frame(stack: traceback.StackSummary) -> str | None:
    """The innermost frame of our code on the stack, as ``file:line``."""
    for frame in reversed(stack):
        if Path(frame.filename).resolve().is_relative_to(OURS):
            return f"{Path(frame.filename).relative_to(OURS.parent)}:{frame.lineno}"
    return None


def watch(found: list[dict[str, Any]]) -> None:
    """Record watched warnings (every occurrence, from any thread) instead of printing them."""
    warnings.simplefilter("always", DeprecationWarning)
    warnings.simplefilter("always", FutureWarning)

    def record(message: Warning | str, category: type[Warning], filename: str, lineno: int,
               file: Any = None, line: str | None = None) -> None:
        ours = _our_frame(traceback.extract_stack())
        if issubclass(category, WATCHED) and ours:
            found.append({"category": category.__name__, "message": str(message),
                          "raised_at": f"{filename}:{lineno}", "our_code": ours})

    warnings.showwarning = record


def exercise(home: Path) -> None:
    """What ``make run`` does, in small: migrate, add data, serve pages."""
    from aiplus.apps.opendata.generate import generate
    from aiplus.core.settings import Settings
    from aiplus.platform.app import create_app
    from aiplus.platform.services import Platform

    platform = Platform.build(Settings(home=home, log_level="WARNING", json_logs=False))
    platform.migrate()
    generate(platform, 30, 3, seed=1)
    with TestClient(create_app(platform=platform)) as client:
        for page in PAGES:
            client.get(page).raise_for_status()
        found = client.get("/api/3/action/package_search", params={"rows": 1}).json()
        client.get(f"/data/dataset/{found['result']['results'][0]['name']}").raise_for_status()


def main() -> int:
    found: list[dict[str, Any]] = []
    with warnings.catch_warnings():
        watch(found)
        exercise(Path(sys.argv[1]))
    for entry in found:
        print(json.dumps(entry, ensure_ascii=False))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
