"""Synthetic catalogues for scale tests: ``aiplus opendata generate --datasets N --orgs M``.

Datasets are plausible and bilingual (subjects of DATA.GOV.HK's 19 categories, qualified by
district and year, published by Hong Kong bureaux, departments and public bodies), with tags,
groups and link resources (no files), drawn from :mod:`aiplus.apps.opendata.vocabulary`. Each
batch is one transaction through the catalogue's bulk path
(:func:`aiplus.data.catalog.bulk.insert_datasets`), which writes every row the catalogue
service would (revision, facet postings, search document) and one audit entry for the batch
(``dataset.generate``), so the audit log still records every write.

Missing organisations are created first, each with its own ``org.create`` audit entry. Contents
depend only on ``seed``; ids are random, and names continue after the datasets already present,
so generating twice adds to the catalogue rather than colliding with it.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from aiplus.apps.opendata.vocabulary import Subject, vocabulary
from aiplus.core import audit, identity
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.data.catalog.bulk import NewDataset, insert_datasets
from aiplus.data.catalog.groups import CATEGORIES
from aiplus.data.catalog.tables import Dataset, Group, Tag
from aiplus.platform.services import Platform

MAX_DATASETS = 1_000_000
MAX_ORGS = 1_000
DEFAULT_BATCH = 2_000
LICENCE = "hk-dgh-terms"
RESOURCE_HOST = "https://opendata.example"  # a reserved name: generated links lead nowhere


@dataclass(frozen=True)
class GenerationResult:
    datasets: int
    organisations_created: int
    seconds: float
    first_name: str
    last_name: str

    @property
    def rate(self) -> float:
        """Datasets written per second."""
        return self.datasets / self.seconds if self.seconds else 0.0


def check_sizes(datasets: int, orgs: int) -> None:
    """Refuse counts outside what the generator supports, naming the bad one."""
    problems: dict[str, list[str]] = {}
    if not isinstance(datasets, int) or not 1 <= datasets <= MAX_DATASETS:
        problems["datasets"] = [f"must be a whole number from 1 to {MAX_DATASETS:,}"]
    if not isinstance(orgs, int) or not 1 <= orgs <= MAX_ORGS:
        problems["orgs"] = [f"must be a whole number from 1 to {MAX_ORGS:,}"]
    if problems:
        raise ValidationFailed(N_("Cannot generate that catalogue."), details=problems)


def organisations(count: int) -> list[tuple[str, str, str, str]]:
    """The first ``count`` publishers, as (slug, English name, Chinese name, kind): real
    bodies, then District Offices, then numbered ones."""
    words = vocabulary()
    found = [(p.slug, p.en, p.zh, p.kind.value) for p in words.publishers]
    found += [(f"hk-do-{d.slug}", f"{d.en} District Office", f"{d.zh}民政事務處", "department")
              for d in words.districts]
    number = 1
    while len(found) < count:
        found.append((f"hk-body-{number:03d}", f"Public Body No. {number}",
                      f"公營機構第{number}號", "other"))
        number += 1
    return found[:count]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].rstrip("-")


def _ensure_orgs(session: Session, wanted: list[tuple[str, str, str, str]],
                 actor: str) -> tuple[dict[str, identity.Organisation], int]:
    existing = {org.slug: org for org in session.scalars(
        select(identity.Organisation).where(
            identity.Organisation.slug.in_([slug for slug, *_ in wanted])))}
    created = 0
    for slug, en, zh, kind in wanted:
        if slug not in existing:
            existing[slug] = identity.create_org(session, slug, en, zh, kind)
            audit.record(session, actor=actor, org=slug, action="org.create",
                         target=f"org:{slug}", detail={"source": "opendata generate"})
            created += 1
    return existing, created


def _ensure_tags(session: Session) -> dict[str, Tag]:
    words = vocabulary()
    names = sorted({tag for subject in words.subjects for tag in subject.tags}
                   | {district.en.lower() for district in words.districts})
    have = {tag.name for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    missing = [{"name": name} for name in names if name not in have]
    if missing:
        session.execute(insert(Tag.__table__), missing)
    return {tag.name: Tag(id=tag.id, name=tag.name)
            for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}


def _detached(org: identity.Organisation) -> identity.Organisation:
    """A copy outside any session, so building snapshots never touches the database."""
    return identity.Organisation(id=org.id, slug=org.slug, name_en=org.name_en,
                                 name_zh=org.name_zh, kind=org.kind, created_at=org.created_at)


class _Maker:
    """Builds datasets from a seeded random stream."""

    def __init__(self, seed: int, orgs: list[identity.Organisation], tags: dict[str, Tag],
                 groups: dict[str, Group], actor: str, now: datetime) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.orgs = orgs
        self.tags = tags
        self.groups = groups
        self.actor = actor
        self.now = now
        self.words = vocabulary()
        # Publishers are skewed, as in real catalogues: a few publish most datasets.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(orgs))]
        self.rng.shuffle(weights)
        self.weights = list(_cumulative(weights))
        self.by_group: dict[str, list[Subject]] = {}
        for subject in self.words.subjects:
            self.by_group.setdefault(subject.group, []).append(subject)
        self.group_names = sorted(self.by_group)

    def _org(self, index: int) -> identity.Organisation:
        if index < len(self.orgs):  # every publisher gets at least one dataset
            return self.orgs[index]
        return self.rng.choices(self.orgs, cum_weights=self.weights)[0]

    def make(self, index: int, name_number: int) -> NewDataset:
        rng = self.rng
        org = self._org(index)
        subject = rng.choice(self.by_group[self.group_names[index % len(self.group_names)]])
        year = rng.randint(2012, 2025)
        district = (rng.choice(self.words.districts)
                    if subject.by_district and rng.random() < 0.7 else None)
        if district:
            title_en = f"{subject.en} – {district.en}, {year}"
            title_zh = f"{district.zh}{subject.zh}（{year}年）"
            stem = f"{_slug(subject.en)}-{district.slug}-{year}"
        else:
            title_en, title_zh = f"{subject.en}, {year}", f"{year}年{subject.zh}"
            stem = f"{_slug(subject.en)}-{year}"
        name = f"{stem}-{name_number}"
        often = self.words.frequencies[subject.frequency]
        notes_en = (f"{subject.about_en} Published by the {org.name_en} and updated "
                    f"{often.en}." + (f" Covers the {district.en} district." if district else ""))
        notes_zh = (f"{subject.about_zh}由{org.name_zh}發佈，{often.zh}更新。"
                    + (f"涵蓋{district.zh}。" if district else ""))
        tag_names = set(rng.sample(subject.tags, rng.randint(1, len(subject.tags))))
        if district:
            tag_names.add(district.en.lower())
        tags = sorted((self.tags[t] for t in tag_names), key=lambda t: t.name)
        group_names = {subject.group}
        if rng.random() < 0.25:
            group_names.add(rng.choice(self.group_names))
        groups = sorted((self.groups[g] for g in group_names), key=lambda g: g.name)
        created = self.now - timedelta(days=rng.uniform(0, 8 * 365))
        modified = created + (self.now - created) * rng.random() ** 3
        dataset_id = str(uuid.uuid4())
        row: dict[str, Any] = {
            "id": dataset_id, "name": name, "org_id": org.id, "title_en": title_en,
            "title_zh": title_zh, "notes_en": notes_en, "notes_zh": notes_zh,
            "licence_id": LICENCE, "update_frequency": subject.frequency, "state": "active",
            "private": False, "classification": "public", "personal_data": False,
            "cross_boundary_gba": False, "gba_record": None,
            "provenance": f"Synthetic data from `aiplus opendata generate` (seed {self.seed}), "
                          f"modelled on {org.name_en} publications.",
            "author": "", "author_email": "", "maintainer": org.name_en, "maintainer_email": "",
            "url": "", "version": "", "spatial": None, "extras": {"generated": "true"},
            "revision": 1, "creator": self.actor, "created_at": created, "modified_at": modified,
        }
        resources = []
        for position, fmt in enumerate(rng.sample(subject.formats,
                                                  rng.randint(1, len(subject.formats)))):
            kind = self.words.formats[fmt]
            resources.append({
                "id": str(uuid.uuid4()), "dataset_id": dataset_id, "position": position,
                "name_en": f"{title_en} ({fmt})", "name_zh": f"{title_zh}（{fmt}）",
                "description_en": f"{subject.en} in {fmt} format.",
                "description_zh": f"{fmt} 格式的{subject.zh}。", "format": fmt,
                "url": f"{RESOURCE_HOST}/{org.slug}/{name}/data-{position + 1}.{kind.extension}",
                "url_type": None, "mimetype": kind.mimetype, "size": None, "sha256": "",
                "file_key": None, "datastore_active": False, "created_at": created,
                "modified_at": modified})
        return NewDataset(row, resources, org, tags, groups)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _free_names(session: Session, batch: list[NewDataset]) -> None:
    """Rename the (rare) generated names that are taken already, before inserting."""
    taken = set(session.scalars(select(Dataset.name).where(
        Dataset.name.in_([new.name for new in batch]))))
    for new in batch:
        if new.name in taken:
            new.row["name"] = f"{new.name[:88]}-{uuid.uuid4().hex[:8]}"


def generate(platform: Platform, datasets: int, orgs: int, seed: int = 0,
             batch_size: int = DEFAULT_BATCH, actor: str = "opendata-generator",
             progress: Callable[[int, int], None] | None = None,
             statistics: bool = True) -> GenerationResult:
    """Add ``datasets`` synthetic datasets spread over ``orgs`` publishers and the 19
    categories; ``progress(done, total)`` is called after every committed batch. With
    ``statistics`` the query planner's statistics are refreshed at the end (:func:`analyse`)."""
    check_sizes(datasets, orgs)
    started = time.perf_counter()
    now = datetime.now(UTC)
    with platform.db.transaction() as session:
        by_slug, created_orgs = _ensure_orgs(session, organisations(orgs), actor)
        publishers = [_detached(by_slug[slug]) for slug, *_ in organisations(orgs)]
        tags = _ensure_tags(session)
        groups = {g.name: Group(id=g.id, name=g.name, title_en=g.title_en, title_zh=g.title_zh,
                                description_en=g.description_en,
                                description_zh=g.description_zh, created_at=g.created_at)
                  for g in session.scalars(select(Group))}
        start_number = (session.scalar(select(func.count()).select_from(Dataset)) or 0) + 1
    missing = sorted({name for name, _, _ in CATEGORIES} - set(groups))
    if missing:
        raise ValidationFailed(N_("The catalogue's categories are missing; run the migrations."),
                               details={"groups": missing})
    maker = _Maker(seed, publishers, tags, groups, actor, now)
    done, first, last = 0, "", ""
    while done < datasets:
        size = min(batch_size, datasets - done)
        batch = [maker.make(done + i, start_number + done + i) for i in range(size)]
        first = first or batch[0].name
        with platform.db.transaction() as session:
            _free_names(session, batch)
            insert_datasets(session, batch, actor=actor, action="dataset.generate",
                            detail={"seed": seed, "organisations": orgs})
        last = batch[-1].name
        done += size
        if progress:
            progress(done, datasets)
    if statistics:
        analyse(platform)
    return GenerationResult(datasets, created_orgs, time.perf_counter() - started, first, last)


def analyse(platform: Platform) -> None:
    """Refresh the query planner's statistics of the catalogue tables after a bulk load.

    PostgreSQL's autovacuum would do this some time later; SQLite never does it by itself, and
    without statistics its planner prefers the (useless: every row is active) ``state`` index
    to the organisation index, which makes organisation-filtered searches scan every dataset.
    On PostgreSQL it is ``VACUUM (ANALYZE)``: the search's covering indexes only answer
    without visiting the table once vacuum has marked the freshly loaded pages all-visible.
    """
    postgres = platform.db.write_engine.dialect.name == "postgresql"
    command = "VACUUM (ANALYZE)" if postgres else "ANALYZE"
    options = {"isolation_level": "AUTOCOMMIT"} if postgres else {}
    with platform.db.write_engine.connect().execution_options(**options) as connection:
        for table in ("data_datasets", "data_dataset_tags", "data_dataset_groups",
                      "data_resources", "data_search_documents", "data_tags", "organisations"):
            connection.execute(sql_text(f"{command} {table}"))
        connection.commit()
