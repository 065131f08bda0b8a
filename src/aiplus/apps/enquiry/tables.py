"""The enquiry service's tables: knowledge bases, versioned FAQs, conversations, hand-overs,
voice calls and the SMS outbox.

An FAQ is never edited in place: every edit is a new :class:`FaqVersion` that goes through
review, so what the service answered with on a given day can always be shown again, and a
citizen is never answered from text nobody approved. Personal data is masked before any
question or transcript reaches these tables.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    RETIRED = "retired"


class HandoverStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class KnowledgeBase(Base):
    __tablename__ = "enquiry_kbs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    org: Mapped[str] = mapped_column(String(63), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": {"en": self.title_en, "zh-Hant": self.title_zh},
                "org": self.org, "created_at": self.created_at.isoformat()}


class Faq(Base):
    """One question of a knowledge base; its words live in its versions."""

    __tablename__ = "enquiry_faqs"
    __table_args__ = (UniqueConstraint("kb_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("enquiry_kbs.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    live_version_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kb: Mapped[KnowledgeBase] = relationship(lazy="joined")
    versions: Mapped[list[FaqVersion]] = relationship(
        back_populates="faq", order_by="FaqVersion.number", lazy="selectin",
        cascade="all, delete-orphan")

    @property
    def live(self) -> FaqVersion | None:
        return next((v for v in self.versions if v.id == self.live_version_id), None)


class FaqVersion(Base):
    __tablename__ = "enquiry_faq_versions"
    __table_args__ = (UniqueConstraint("faq_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int] = mapped_column(ForeignKey("enquiry_faqs.id", ondelete="CASCADE"))
    number: Mapped[int]
    question_en: Mapped[str | None] = mapped_column(Text, default=None)
    question_zh: Mapped[str | None] = mapped_column(Text, default=None)
    answer_en: Mapped[str | None] = mapped_column(Text, default=None)
    answer_zh: Mapped[str | None] = mapped_column(Text, default=None)
    phrasings: Mapped[list[str]] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(String(100), default=None)
    department: Mapped[str | None] = mapped_column(String(100), default=None)
    source_url: Mapped[str | None] = mapped_column(String(1000), default=None)
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default=VersionStatus.DRAFT.value, index=True)
    edited_by: Mapped[str] = mapped_column(String(100))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    review_note: Mapped[str] = mapped_column(Text, default="")
    # Machine translations made once per version: of the answer {"en": ..., "zh-Hant": ...}
    # and, for retrieval only, of a single-language question {"question:en": ...}.
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    faq: Mapped[Faq] = relationship(back_populates="versions", lazy="joined")

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    def machine_questions(self) -> tuple[str, ...]:
        """Machine translations of the question (see :mod:`..question_translation`)."""
        return tuple(text for key, text in sorted(self.translations.items())
                     if key.startswith("question:") and text)

    def answer(self, lang: str) -> str | None:
        return self.answer_zh if lang == "zh-Hant" else self.answer_en

    def as_dict(self) -> dict[str, Any]:
        return {
            "faq_id": self.faq.key, "version": self.number, "status": self.status,
            "question": self.question_en, "answer": self.answer_en,
            "question_zh": self.question_zh, "answer_zh": self.answer_zh,
            "phrasings": list(self.phrasings), "category": self.category,
            "department": self.department, "source_url": self.source_url,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "edited_by": self.edited_by, "edited_at": self.edited_at.isoformat(),
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "review_note": self.review_note,
        }


class Conversation(Base):
    """Recent turns of one asker, kept only as long as follow-up questions need them."""

    __tablename__ = "enquiry_conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("enquiry_kbs.id", ondelete="CASCADE"))
    turns: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Handover(Base):
    __tablename__ = "enquiry_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("enquiry_kbs.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    question_key: Mapped[str] = mapped_column(String(200), index=True)
    lang: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10), default="chat")
    confidence: Mapped[float]
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    category: Mapped[str | None] = mapped_column(String(100), default=None)
    department: Mapped[str | None] = mapped_column(String(100), default=None)
    status: Mapped[str] = mapped_column(String(10), default=HandoverStatus.OPEN.value, index=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[str | None] = mapped_column(String(100), default=None)
    handled_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kb: Mapped[KnowledgeBase] = relationship(lazy="joined")

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference, "kb": self.kb.name, "question": self.question,
            "lang": self.lang, "channel": self.channel, "confidence": round(self.confidence, 4),
            "candidates": self.candidates, "category": self.category,
            "department": self.department, "status": self.status, "reply": self.reply,
            "handled_by": self.handled_by,
            "handled_at": self.handled_at.isoformat() if self.handled_at else None,
            "created_at": self.created_at.isoformat(),
        }


class VoiceCall(Base):
    __tablename__ = "enquiry_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kb_id: Mapped[int] = mapped_column(ForeignKey("enquiry_kbs.id", ondelete="CASCADE"))
    audio_key: Mapped[str] = mapped_column(String(200))
    audio_format: Mapped[str] = mapped_column(String(20))
    duration: Mapped[float]
    transcript: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    asr_confidence: Mapped[float]
    category: Mapped[str | None] = mapped_column(String(100), default=None)
    department: Mapped[str | None] = mapped_column(String(100), default=None)
    faq_key: Mapped[str | None] = mapped_column(String(100), default=None)
    confidence: Mapped[float]
    reply_text: Mapped[str] = mapped_column(Text)
    reply_mode: Mapped[str] = mapped_column(String(10))
    sms_id: Mapped[int | None] = mapped_column(default=None)
    voice_key: Mapped[str | None] = mapped_column(String(200), default=None)
    handover_reference: Mapped[str | None] = mapped_column(String(20), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kb: Mapped[KnowledgeBase] = relationship(lazy="joined")

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference, "kb": self.kb.name, "format": self.audio_format,
            "duration": round(self.duration, 2), "transcript": self.transcript,
            "language": self.language, "asr_confidence": round(self.asr_confidence, 3),
            "category": self.category, "department": self.department, "faq_id": self.faq_key,
            "confidence": round(self.confidence, 4), "reply": self.reply_text,
            "reply_mode": self.reply_mode, "sms_id": self.sms_id,
            "voice_reply": self.voice_key is not None, "handover": self.handover_reference,
            "created_at": self.created_at.isoformat(),
        }


class SmsMessage(Base):
    """One SMS waiting in (or sent from) the outbox; the number is shown only masked."""

    __tablename__ = "enquiry_sms_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    destination: Mapped[str] = mapped_column(String(20))
    destination_masked: Mapped[str] = mapped_column(String(20))
    encoding: Mapped[str] = mapped_column(String(10))
    parts: Mapped[list[str]] = mapped_column(JSON, default=list)
    characters: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "to": self.destination_masked, "encoding": self.encoding,
                "parts": list(self.parts), "characters": self.characters,
                "status": self.status, "created_at": self.created_at.isoformat()}
