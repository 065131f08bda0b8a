"""Registering model versions and moving them through their lifecycle.

Functions take the caller's session so that a registration, its audit entry and whatever the
caller writes beside it (a training run, an assessment) commit together or not at all.
Artefacts are stored content-addressed (``registry/artefacts/<sha256>``): writing one twice is
harmless, so a rolled-back registration leaves at most an unreferenced copy, never a wrong one.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import Conflict, NotFound, ValidationFailed
from aiplus.core.i18n import N_, Bilingual
from aiplus.core.storage import FileStore
from aiplus.models.registry.gates import check_deployment
from aiplus.models.registry.tables import Kind, ModelVersion, RegisteredModel, Status

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,39}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
PLATFORM_ORG = "platform"
"""Owner recorded for models an application declares in code (its ``ModelCard``)."""
CARD_FIELDS = ("intended_use", "out_of_scope", "data", "limits")
MAX_ARTEFACT_BYTES = 512 * 1024 * 1024

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.ASSESSED, Status.RETIRED}),
    Status.ASSESSED: frozenset({Status.APPROVED, Status.DRAFT, Status.RETIRED}),
    Status.APPROVED: frozenset({Status.DEPLOYED, Status.DRAFT, Status.RETIRED}),
    Status.DEPLOYED: frozenset({Status.RETIRED}),
    Status.RETIRED: frozenset(),
}


@dataclass(frozen=True)
class Lineage:
    """Where the training data came from: a catalogue dataset and version, or a file hash."""

    dataset: str
    version: str | None = None
    file_sha256: str | None = None
    rows: int | None = None
    note: str = ""

    def checked(self) -> dict[str, Any]:
        if not self.dataset.strip():
            raise ValidationFailed(N_("Field {field} is required."), field="lineage.dataset")
        if not self.version and not self.file_sha256:
            raise ValidationFailed(
                N_("Training-data lineage needs the dataset version or the file's SHA-256."))
        if self.file_sha256 and not SHA256.match(self.file_sha256):
            raise ValidationFailed(N_("Field {field} must be 64 lower-case hex digits."),
                                   field="lineage.file_sha256")
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass(frozen=True)
class CardText:
    """The written part of a bilingual model card; metrics and fairness results are added
    from the version's figures and assurance results, so they cannot disagree with them."""

    intended_use: Bilingual
    out_of_scope: Bilingual
    data: Bilingual
    limits: Bilingual

    def as_dict(self) -> dict[str, dict[str, str]]:
        card = {}
        for name in CARD_FIELDS:
            text: Bilingual = getattr(self, name)
            if not text.en.strip() or not text.zh.strip():
                raise ValidationFailed(N_("Field {field} needs both English and Chinese text."),
                                       field=f"card.{name}")
            card[name] = text.as_dict()
        return card

    @classmethod
    def from_dict(cls, card: dict[str, Any]) -> CardText:
        values = {}
        for name in CARD_FIELDS:
            text = card.get(name) or {}
            values[name] = Bilingual(str(text.get("en", "")), str(text.get("zh-Hant", "")))
        return cls(**values)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _artefact_bytes(artefact: bytes | Path) -> bytes:
    data = artefact if isinstance(artefact, bytes) else Path(artefact).read_bytes()
    if len(data) > MAX_ARTEFACT_BYTES:
        raise ValidationFailed(N_("The model file is larger than the limit of {limit} bytes."),
                               limit=MAX_ARTEFACT_BYTES)
    return data


def _check_names(name: str, version: str, kind: str) -> None:
    if not NAME.match(name):
        raise ValidationFailed(
            N_("Field {field} must be 2 to 100 lower-case letters, digits, dots, dashes or "
               "underscores."), field="name")
    if not VERSION.match(version):
        raise ValidationFailed(N_("Field {field} must be a short version such as 1.0.0."),
                               field="version")
    if kind not in {k.value for k in Kind}:
        raise ValidationFailed(N_("Field {field} must be one of: {choices}."), field="kind",
                               choices=", ".join(k.value for k in Kind))


def register_version(
    session: Session,
    files: FileStore,
    *,
    name: str,
    version: str,
    kind: str,
    org: str,
    actor: str,
    title: Bilingual,
    card: CardText,
    lineage: Lineage,
    metrics: dict[str, float] | None = None,
    artefact: bytes | Path | None = None,
    app: str | None = None,
) -> ModelVersion:
    """Register ``name@version`` (creating the model on first use) as a draft.

    Registering the same version again with the same artefact returns the existing row, so
    callers (demo loaders, training jobs) may be re-run; a different artefact is a conflict.
    """
    _check_names(name, version, kind)
    card_dict, lineage_dict = card.as_dict(), lineage.checked()
    clean_metrics = {str(k): float(v) for k, v in (metrics or {}).items()}
    for key, value in clean_metrics.items():
        if not math.isfinite(value):
            raise ValidationFailed(N_("Field {field} must be a finite number."),
                                   field=f"metrics.{key}")
    data = _artefact_bytes(artefact) if artefact is not None else None
    digest = sha256_of(data) if data is not None else None
    model = session.scalar(select(RegisteredModel).where(RegisteredModel.name == name))
    if model is None:
        model = RegisteredModel(name=name, kind=kind, org=org, app=app, title_en=title.en,
                                title_zh=title.zh)
        session.add(model)
        session.flush()
    elif model.org == PLATFORM_ORG and org != PLATFORM_ORG:
        # An app declared this model in code (synced as the platform's); the organisation
        # that now registers a real version becomes its owner.
        audit.record(session, actor=actor, org=org, action="registry.model.adopt",
                     target=name, detail={"from": model.org})
        model.org, model.kind = org, kind
    elif model.org != org:
        raise Conflict(N_("Model {name} belongs to another organisation."), name=name)
    existing = next((v for v in model.versions if v.version == version), None)
    if existing is not None:
        if existing.artefact_sha256 == digest and existing.card == card_dict:
            return existing
        raise Conflict(N_("Version {version} of {name} is already registered with other "
                          "content; register a new version."), version=version, name=name)
    key = None
    if data is not None:
        key = f"registry/artefacts/{digest}"
        if not files.exists(key):
            files.write_bytes(key, data)
    row = ModelVersion(model=model, version=version, artefact_key=key, artefact_sha256=digest,
                       artefact_size=len(data) if data is not None else None,
                       lineage=lineage_dict, metrics=clean_metrics, card=card_dict,
                       created_by=actor)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, org=org, action="registry.version.register",
                 target=row.ref, detail={"kind": kind, "sha256": digest, "lineage": lineage_dict})
    return row


def get_version(session: Session, name: str, version: str | None = None) -> ModelVersion:
    """A version by name, or the newest one when ``version`` is None."""
    model = session.scalar(select(RegisteredModel).where(RegisteredModel.name == name))
    if model is None or not model.versions:
        raise NotFound(N_("There is no model called {name}."), name=name)
    if version is None:
        return model.versions[-1]
    found = next((v for v in model.versions if v.version == version), None)
    if found is None:
        raise NotFound(N_("Model {name} has no version {version}."), name=name, version=version)
    return found


def list_models(session: Session) -> list[RegisteredModel]:
    return list(session.scalars(select(RegisteredModel).order_by(RegisteredModel.name)))


def load_artefact(files: FileStore, row: ModelVersion) -> bytes:
    """The artefact's bytes, refused if they no longer match the registered SHA-256."""
    if not row.artefact_key:
        raise NotFound(N_("Model {name} has no stored file."), name=row.ref)
    data = files.read_bytes(row.artefact_key)
    if sha256_of(data) != row.artefact_sha256:
        raise Conflict(N_("The stored file of {name} does not match its SHA-256."),
                       name=row.ref)
    return data


def transition(session: Session, row: ModelVersion, to: Status, *, actor: str,
               reason: str = "") -> ModelVersion:
    """Move a version along its lifecycle; deploying needs every registered deployment gate
    (:mod:`.gates`) to pass."""
    current = Status(row.status)
    if to not in TRANSITIONS[current]:
        raise Conflict(N_("A model version cannot go from {current} to {target}."),
                       current=current.value, target=to.value)
    if to is Status.DEPLOYED:
        check_deployment(session, row)
    row.status = to.value
    row.status_changed_at = utcnow()
    audit.record(session, actor=actor, org=row.model.org, action=f"registry.version.{to.value}",
                 target=row.ref, detail={"from": current.value, "reason": reason})
    return row
