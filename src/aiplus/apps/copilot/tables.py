"""The copilot's tables: documents and their chunks (with vectors), outputs with their
provenance, ratings, and the glossary of government terms each organisation curates.

A document belongs to one organisation and one owner; it is private to its owner unless
shared with the organisation, and never visible to another organisation. Chunks carry their
page and heading so that every answer can cite where it came from, and a flag set at ingestion
when the guardrails judged the chunk to hide instructions: flagged chunks never reach a prompt.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow


class DocumentStatus(StrEnum):
    READY = "ready"
    FLAGGED = "flagged"  # stored, but some chunks were judged injected and are excluded


class Document(Base):
    __tablename__ = "copilot_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    owner: Mapped[str] = mapped_column(String(100), index=True)
    shared: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str] = mapped_column(String(10))
    pages: Mapped[int]
    ocr_pages: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.READY.value)
    flagged_chunks: Mapped[int] = mapped_column(default=0)
    pinned: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    chunks: Mapped[list[Chunk]] = relationship(
        back_populates="document", order_by="Chunk.seq", cascade="all, delete-orphan",
        passive_deletes=True)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "owner": self.owner, "shared": self.shared,
                "filename": self.filename, "kind": self.kind, "size": self.size,
                "sha256": self.sha256, "lang": self.lang, "pages": self.pages,
                "ocr_pages": self.ocr_pages, "status": self.status,
                "flagged_chunks": self.flagged_chunks, "pinned": self.pinned,
                "expires_at": self.expires_at.isoformat(),
                "created_at": self.created_at.isoformat()}


class Chunk(Base):
    __tablename__ = "copilot_chunks"
    __table_args__ = (UniqueConstraint("document_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("copilot_documents.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    page: Mapped[int]
    heading: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10))  # text | table
    text: Mapped[str] = mapped_column(Text)
    flagged: Mapped[bool] = mapped_column(default=False)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    document: Mapped[Document] = relationship(back_populates="chunks")

    def embedding(self) -> np.ndarray:
        return np.frombuffer(self.vector, dtype=np.float32)


class Output(Base):
    """One thing the copilot produced, with what is needed to trust or question it."""

    __tablename__ = "copilot_outputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    route: Mapped[str] = mapped_column(String(30))
    model: Mapped[str] = mapped_column(String(100))
    template: Mapped[str] = mapped_column(String(60))
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    latency_ms: Mapped[float] = mapped_column(default=0.0)
    sources: Mapped[dict[str, Any]] = mapped_column(default=dict)
    faithfulness: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "actor": self.actor, "route": self.route,
                "model": self.model, "template": self.template,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "latency_ms": round(self.latency_ms, 1), "sources": self.sources["items"],
                "faithfulness": self.faithfulness, "text": self.text,
                "created_at": self.created_at.isoformat()}


class Rating(Base):
    __tablename__ = "copilot_ratings"
    __table_args__ = (UniqueConstraint("output_id", "actor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(
        ForeignKey("copilot_outputs.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryTerm(Base):
    __tablename__ = "copilot_glossary"
    __table_args__ = (UniqueConstraint("org", "en"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    en: Mapped[str] = mapped_column(String(200))
    zh: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "en": self.en, "zh-Hant": self.zh}
