"""The application contract and the registry that discovers applications.

An application is a package under ``aiplus/apps/`` (or any installed distribution) that exposes
one :class:`App` through the ``aiplus.apps`` entry-point group. The platform mounts its API
router and web pages, registers its jobs, lists its models and benchmarks, and shows its
impact-assessment record in the AI register.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from aiplus.compute.jobs import JobKind
from aiplus.core.errors import AiplusError
from aiplus.core.i18n import N_, Bilingual

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

ENTRY_POINT_GROUP = "aiplus.apps"
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
_PILLAR = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class MissingRequirement(AiplusError):
    """An installed app needs a pillar or app that this installation lacks."""


REQUIREMENT_MISSING = N_(
    "The app {app} requires {needed}, which is neither an installed app nor a pillar of this "
    "platform. Install {needed}, or uninstall {app}.")


def _pillar_installed(name: str) -> bool:
    """Whether ``aiplus.<name>`` is a package here, found without importing it."""
    if not _PILLAR.match(name):
        return False
    return (_PACKAGE_ROOT.joinpath(*name.split(".")) / "__init__.py").is_file()


@dataclass(frozen=True)
class ModelCard:
    """What a person needs to know before relying on a model (intended use, data, limits)."""

    name: str
    version: str
    title: Bilingual
    intended_use: Bilingual
    out_of_scope: Bilingual
    data: Bilingual
    limits: Bilingual
    owner: str
    licence: str
    source: str
    metrics: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "title": self.title.as_dict(),
            "intended_use": self.intended_use.as_dict(),
            "out_of_scope": self.out_of_scope.as_dict(),
            "data": self.data.as_dict(),
            "limits": self.limits.as_dict(),
            "owner": self.owner,
            "licence": self.licence,
            "source": self.source,
            "metrics": self.metrics,
        }


@dataclass(frozen=True)
class ImpactRecord:
    """An application's Ethical AI impact-assessment status, as shown in the AI register."""

    risk_level: str
    summary: Bilingual
    assessed_on: date
    assessor: str
    personal_data: bool
    human_oversight: Bilingual

    def as_dict(self) -> dict[str, Any]:
        return {
            "risk_level": self.risk_level,
            "summary": self.summary.as_dict(),
            "assessed_on": self.assessed_on.isoformat(),
            "assessor": self.assessor,
            "personal_data": self.personal_data,
            "human_oversight": self.human_oversight.as_dict(),
        }


@dataclass(frozen=True)
class Benchmark:
    """A measurement ``aiplus bench NAME`` runs; it returns figures beside a baseline."""

    name: str
    description: str
    run: Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class ErrorShape:
    """How errors look under some URL prefixes, for APIs whose clients expect another
    envelope (CKAN's Action API, OpenAI's). The platform still decides status and message."""

    prefixes: tuple[str, ...]
    render: Callable[..., Any]


@dataclass(frozen=True)
class App:
    """One application of the platform; every field is what the platform needs to host it."""

    slug: str
    title: Bilingual
    summary: Bilingual
    seed_system: Bilingual
    assessment: ImpactRecord
    api: APIRouter | None = None
    pages: APIRouter | None = None
    templates: Path | tuple[Path, ...] | None = None
    """Template folder(s); an app assembled from several pillars may list one per pillar."""
    jobs: tuple[JobKind, ...] = ()
    models: tuple[ModelCard, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    migrations: Path | None = None
    home_path: str | None = None
    error_shapes: tuple[ErrorShape, ...] = ()
    static: tuple[tuple[str, Path], ...] = ()
    cli: str | None = None
    """The app's command group as ``"module:attribute"`` (a Typer app). It is imported only when
    one of its commands runs; ``aiplus`` finds it through the ``aiplus.commands`` entry point that
    names the same target, so listing commands never loads the web stack."""
    requires: tuple[str, ...] = ()
    """What the app builds on: pillars (``"data"``, ``"models"``, or a part such as
    ``"models.registry"``) and other apps' slugs. The registry refuses to start without them, with a message naming both."""
    demo: Callable[[Platform], object] | None = None
    """Demo data the app loads with ``aiplus demo load``: called with the
    :class:`~aiplus.platform.services.Platform` after the platform's own demo data; it must be
    idempotent. What it returns (e.g. a count) is shown to the operator."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title.as_dict(),
            "summary": self.summary.as_dict(),
            "seed_system": self.seed_system.as_dict(),
            "home_path": self.home_path,
            "jobs": [job.name for job in self.jobs],
            "models": [card.as_dict() for card in self.models],
            "benchmarks": [bench.name for bench in self.benchmarks],
            "requires": list(self.requires),
            "assessment": self.assessment.as_dict(),
        }


class AppRegistry:
    """The applications one platform instance hosts, in a stable order."""

    def __init__(self, apps: Iterable[App]) -> None:
        self._apps: dict[str, App] = {}
        for app in apps:
            if not isinstance(app, App):
                raise TypeError(f"{app!r} is not an aiplus App")
            if not _SLUG.match(app.slug):
                raise ValueError(f"app slug {app.slug!r} is not a valid slug")
            if app.slug in self._apps:
                raise ValueError(f"two apps share the slug {app.slug!r}")
            self._apps[app.slug] = app
        for app in self._apps.values():
            self._check_requirements(app)

    def _check_requirements(self, app: App) -> None:
        for needed in app.requires:
            if needed in self._apps or _pillar_installed(needed):
                continue
            raise MissingRequirement(REQUIREMENT_MISSING, app=app.slug, needed=needed)

    @classmethod
    def discover(cls, extra: Iterable[App] = ()) -> AppRegistry:
        """Every app installed under the ``aiplus.apps`` entry-point group, plus ``extra``."""
        found = [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]
        return cls(sorted([*found, *extra], key=lambda a: a.slug))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._apps.values())

    def __len__(self) -> int:
        return len(self._apps)

    def get(self, slug: str) -> App | None:
        return self._apps.get(slug)

    def jobs(self) -> list[JobKind]:
        return [job for app in self for job in app.jobs]

    def models(self) -> list[tuple[App, ModelCard]]:
        return [(app, card) for app in self for card in app.models]

    def benchmarks(self) -> dict[str, Benchmark]:
        return {bench.name: bench for app in self for bench in app.benchmarks}

    def migration_locations(self) -> list[Path]:
        return [app.migrations for app in self if app.migrations]

    def error_shapes(self) -> list[ErrorShape]:
        return [shape for app in self for shape in app.error_shapes]

    def static_mounts(self) -> list[tuple[str, Path]]:
        return [mount for app in self for mount in app.static]

    def template_dirs(self) -> list[Path]:
        folders: list[Path] = []
        for app in self:
            if isinstance(app.templates, Path):
                folders.append(app.templates)
            elif app.templates:
                folders.extend(app.templates)
        return folders
