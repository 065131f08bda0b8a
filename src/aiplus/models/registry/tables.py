"""The registry's tables: a model, its versions, and the assurance results of each version.

A version is immutable once registered except for its lifecycle status: the artefact's SHA-256,
the lineage and the card text are what was reviewed, so changing them means a new version.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow


class Status(StrEnum):
    """Lifecycle of a model version (Ethical AI Framework: no deployment before approval)."""

    DRAFT = "draft"
    ASSESSED = "assessed"
    APPROVED = "approved"
    DEPLOYED = "deployed"
    RETIRED = "retired"


class Kind(StrEnum):
    SKLEARN = "sklearn"
    LIGHTGBM = "lightgbm"
    XGBOOST = "xgboost"
    PYTORCH = "pytorch"
    ONNX = "onnx"
    LLM_ENDPOINT = "llm-endpoint"
    OTHER = "other"


class RegisteredModel(Base):
    __tablename__ = "registry_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    org: Mapped[str] = mapped_column(String(63), index=True)
    app: Mapped[str | None] = mapped_column(String(63), default=None, index=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    versions: Mapped[list[ModelVersion]] = relationship(
        back_populates="model", order_by="ModelVersion.id", lazy="selectin",
        cascade="all, delete-orphan")

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "org": self.org, "app": self.app,
                "title": {"en": self.title_en, "zh-Hant": self.title_zh},
                "created_at": self.created_at.isoformat(),
                "versions": [v.summary() for v in self.versions]}


class ModelVersion(Base):
    __tablename__ = "registry_versions"
    __table_args__ = (UniqueConstraint("model_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("registry_models.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value, index=True)
    artefact_key: Mapped[str | None] = mapped_column(String(200), default=None)
    artefact_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    artefact_size: Mapped[int | None] = mapped_column(default=None)
    lineage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    card: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    model: Mapped[RegisteredModel] = relationship(back_populates="versions", lazy="joined")
    results: Mapped[list[AssuranceResult]] = relationship(
        back_populates="model_version", order_by="AssuranceResult.id", lazy="selectin",
        cascade="all, delete-orphan")

    @property
    def ref(self) -> str:
        return f"{self.model.name}@{self.version}"

    def latest_results(self) -> dict[str, AssuranceResult]:
        """The most recent result of each assurance plugin for this version."""
        latest: dict[str, AssuranceResult] = {}
        for result in self.results:
            latest[result.plugin] = result
        return latest

    def summary(self) -> dict[str, Any]:
        return {"version": self.version, "status": self.status,
                "artefact_sha256": self.artefact_sha256,
                "created_at": self.created_at.isoformat()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.name, "version": self.version, "ref": self.ref,
            "kind": self.model.kind, "org": self.model.org, "app": self.model.app,
            "title": {"en": self.model.title_en, "zh-Hant": self.model.title_zh},
            "status": self.status,
            "artefact": {"key": self.artefact_key, "sha256": self.artefact_sha256,
                         "size": self.artefact_size},
            "lineage": self.lineage, "metrics": self.metrics, "card": self.card,
            "created_by": self.created_by, "created_at": self.created_at.isoformat(),
            "status_changed_at": self.status_changed_at.isoformat(),
            "assurance": {name: r.brief() for name, r in self.latest_results().items()},
        }


class AssuranceResult(Base):
    """One run of one assurance plugin on one model version; kept, never overwritten."""

    __tablename__ = "assurance_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("registry_versions.id", ondelete="CASCADE"), index=True)
    plugin: Mapped[str] = mapped_column(String(40))
    plugin_version: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    output: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    passed: Mapped[bool | None] = mapped_column(default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    seconds: Mapped[float] = mapped_column(default=0.0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    model_version: Mapped[ModelVersion] = relationship(back_populates="results", lazy="joined")

    def brief(self) -> dict[str, Any]:
        return {"id": self.id, "plugin": self.plugin, "plugin_version": self.plugin_version,
                "passed": self.passed, "summary": self.summary, "seconds": self.seconds,
                "created_at": self.created_at.isoformat()}

    def as_dict(self) -> dict[str, Any]:
        return {**self.brief(), "model": self.model_version.ref, "params": self.params,
                "output": self.output, "created_by": self.created_by}
