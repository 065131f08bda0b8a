"""The app contract as checks, like scikit-learn's ``check_estimator``: every installed app (and
the third-party sample) passes the same list, so a new app gets the whole check by being
installed. Each check takes the app and what it needs, and says what is wrong when it fails."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import grimp
from fastapi.testclient import TestClient
from click.testing import CliRunner

from aiplus.cli import COMMANDS_GROUP, load_group
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import App, ModelCard
from aiplus.platform.services import Platform

PILLARS = ("compute", "data", "ethics", "federated", "gateway", "guard", "models")
FROZEN_IMPORTS = {"alembic", "sqlalchemy", *sys.stdlib_module_names}


@dataclass
class Hosted:
    """An app as the platform hosts it: the platform, a client of its web app, the import graph
    of the aiplus package and the app's own package (from its entry point)."""

    app: App
    package: str
    platform: Platform
    client: TestClient
    graph: grimp.ImportGraph
    admin_headers: dict[str, str]


def check_routes_mounted(hosted: Hosted) -> None:
    included = list(_included_routers(hosted.client.app.router.routes))  # type: ignore[attr-defined]
    for router in (hosted.app.api, hosted.app.pages):
        if router is not None:
            assert any(router is mounted for mounted in included), \
                f"{hosted.app.slug}: a router is not mounted"
            assert router.routes, f"{hosted.app.slug}: a router has no routes"


def _included_routers(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            yield router
            yield from _included_routers(router.routes)


def check_home_page_in_both_languages(hosted: Hosted) -> None:
    app, client = hosted.app, hosted.client
    if not app.home_path:
        return
    for language, marker in (("en", 'lang="en"'), ("zh-HK", 'lang="zh-Hant"')):
        reply = client.get(app.home_path, headers={"Accept-Language": language})
        assert reply.status_code == 200, f"{app.slug}: {app.home_path} is {reply.status_code}"
        assert marker in reply.text, f"{app.slug}: {app.home_path} is not in {language}"


def check_home_page_has_a_json_twin(hosted: Hosted) -> None:
    app, client = hosted.app, hosted.client
    if not app.home_path:
        return
    reply = client.get(app.home_path, params={"format": "json"}, headers=hosted.admin_headers)
    assert reply.status_code == 200, f"{app.slug}: JSON twin is {reply.status_code}"
    assert reply.headers["content-type"].startswith("application/json"), app.slug


def check_jobs_registered(hosted: Hosted) -> None:
    app, platform = hosted.app, hosted.platform
    for job in app.jobs:
        assert platform.jobs.kinds.get(job.name) is job, f"{app.slug}: job {job.name} missing"
        assert job.title_en and job.title_zh, f"{app.slug}: job {job.name} needs both titles"


def check_model_cards_complete(hosted: Hosted) -> None:
    app = hosted.app
    for card in app.models:
        for field in fields(ModelCard):
            value = getattr(card, field.name)
            if isinstance(value, Bilingual):
                assert value.en.strip() and value.zh.strip(), \
                    f"{app.slug}: card {card.name} has an empty {field.name} in one language"
            elif field.name != "metrics":
                assert str(value).strip(), f"{app.slug}: card {card.name} has no {field.name}"


def check_migrations_frozen(hosted: Hosted) -> None:
    app = hosted.app
    for revision in sorted(app.migrations.glob("*.py")) if app.migrations else ():
        assert_frozen(revision)


def assert_frozen(revision: Path) -> None:
    """A revision imports only Alembic, SQLAlchemy and the standard library, never live code."""
    for node in ast.walk(ast.parse(revision.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in names:
            assert name.split(".")[0] in FROZEN_IMPORTS, f"{revision} imports {name}"


def check_cli_loads(hosted: Hosted) -> None:
    app = hosted.app
    if app.cli is None:
        return
    points = {point.value: point.name for point in entry_points(group=COMMANDS_GROUP)}
    assert app.cli in points, f"{app.slug}: {app.cli} is not an {COMMANDS_GROUP} entry point"
    group = load_group(points[app.cli])
    assert group.commands, f"{app.slug}: its command group has no commands"
    result = CliRunner().invoke(group, ["--help"])
    assert result.exit_code == 0, f"{app.slug}: --help failed: {result.output}"


def check_requires_is_honest(hosted: Hosted) -> None:
    """The pillars an app imports are exactly the pillars it declares."""
    app, graph, package = hosted.app, hosted.graph, hosted.package
    if package not in graph.modules:
        return  # an app outside the aiplus package: its imports are its own business
    imported = {module.split(".")[1] for mine in graph.find_descendants(package) | {package}
                for module in graph.find_modules_directly_imported_by(mine)
                if module.split(".")[1] in PILLARS}
    declared = {need for need in app.requires if need in PILLARS}
    assert imported == declared, f"{app.slug}: imports pillars {sorted(imported)} " \
                                 f"but requires {sorted(declared)}"


CHECKS: tuple[Callable[[Hosted], None], ...] = (
    check_routes_mounted, check_home_page_in_both_languages, check_home_page_has_a_json_twin,
    check_jobs_registered, check_model_cards_complete, check_migrations_frozen, check_cli_loads,
    check_requires_is_honest,
)
