"""The document library: ingestion, listing, sharing, pinning, deletion and retention.

Ingestion does the slow work (checks, extraction, OCR, guardrail scan, embeddings) before
anything is written, then stores the file, the document and its chunks in one transaction: a
file that fails any check leaves nothing behind. Each chunk is scanned by the platform's
guardrails as text that will reach a model; a chunk they block (hidden instructions) is kept,
flagged and never put in a prompt, the document is marked ``flagged`` and the guardrails
record the incident for the security monitor.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session

from aiplus.apps.copilot import chunking, extract, intake
from aiplus.apps.copilot.tables import Chunk, Document, DocumentStatus
from aiplus.apps.copilot.retrieval import Candidate
from aiplus.apps.copilot.settings import CopilotSettings, copilot_settings
from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import BadRequest, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.core.storage import FileStore
from aiplus.models import embeddings
from aiplus.models.text import language_of
from aiplus.platform.services import Platform

log = logging.getLogger(__name__)
WRITERS = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)
MAX_FILENAME = 255


def org_for(principal: Principal, org: str | None) -> str:
    """The organisation a principal works in: the one named, or their only one."""
    if not principal.authenticated:
        raise Forbidden()
    if org:
        if not principal.has_role(org, *WRITERS):
            raise Forbidden()
        return org
    orgs = [o for o in principal.roles if principal.has_role(o, *WRITERS)]
    if len(orgs) != 1:
        raise ValidationFailed(N_("Say which organisation the document belongs to."))
    return orgs[0]


def visible(principal: Principal) -> Select[Any]:
    """Documents a principal may read: their own, and those shared in an organisation where
    they hold a role. Never another organisation's."""
    orgs = [o for o in principal.roles if principal.has_role(o, *WRITERS)]
    return select(Document).where(or_(
        (Document.owner == principal.actor) & Document.org.in_(list(principal.roles)),
        Document.shared.is_(True) & Document.org.in_(orgs)))


class Library:
    def __init__(self, platform: Platform, settings: CopilotSettings | None = None) -> None:
        self.platform = platform
        self.settings = settings or copilot_settings()

    # -- ingestion -------------------------------------------------------------------------
    def ingest(self, principal: Principal, filename: str, data: bytes, *,
               org: str | None = None, shared: bool = False) -> dict[str, Any]:
        org = org_for(principal, org)
        filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:MAX_FILENAME]
        intake.check_size(data, self.settings)
        digest = hashlib.sha256(data).hexdigest()
        if (same := self._same_file(principal, org, digest, shared)) is not None:
            return same
        kind = intake.kind_of(filename, data)
        if kind in intake.ZIP_KINDS:
            intake.check_archive(kind, data, self.settings)
        extraction = extract.extract(kind, data, self.settings)
        full_text = "\n".join(block.text for block in extraction.blocks)
        if not full_text.strip():
            raise BadRequest(N_("No text was found in this document."))
        lang = language_of(full_text)
        if lang is None:
            raise ValidationFailed(N_("The document is not in English or Chinese, which are "
                                      "the languages the copilot supports."))
        pieces = chunking.chunk(extraction.blocks, self.settings.chunk_chars)
        flags = [self._injected(piece.text, org, principal.actor) for piece in pieces]
        vectors = embeddings.encode_cached([p.embedded_text() for p in pieces], is_query=False)
        key = f"copilot/{org}/{secrets.token_hex(16)}"
        self.platform.files.write_bytes(key, data)
        try:
            with self.platform.db.transaction() as session:
                document = Document(
                    org=org, owner=principal.actor, shared=shared, filename=filename,
                    kind=kind, size=len(data), sha256=digest,
                    storage_key=key, lang=lang, pages=extraction.pages,
                    ocr_pages=extraction.ocr_pages, flagged_chunks=sum(flags),
                    status=(DocumentStatus.FLAGGED if any(flags) else DocumentStatus.READY).value,
                    expires_at=utcnow() + timedelta(days=self.settings.retention_days))
                session.add(document)
                session.flush()
                session.add_all(Chunk(document_id=document.id, seq=i, page=p.page,
                                      heading=p.heading, kind=p.kind, text=p.text, flagged=f,
                                      vector=v.astype(np.float32).tobytes())
                                for i, (p, f, v) in enumerate(zip(pieces, flags, vectors,
                                                                  strict=True)))
                audit.record(session, actor=principal.actor, org=org,
                             action="copilot.document.upload", target=f"document:{document.id}",
                             detail={"filename": filename, "kind": kind, "size": len(data),
                                     "chunks": len(pieces), "flagged_chunks": sum(flags),
                                     "ocr_pages": extraction.ocr_pages})
                result = document.as_dict() | {"chunks": len(pieces), "already_uploaded": False}
        except BaseException:
            self.platform.files.path(key).unlink(missing_ok=True)
            raise
        return result

    def _same_file(self, principal: Principal, org: str, digest: str,
                   shared: bool) -> dict[str, Any] | None:
        """The document this very file (same bytes, shared the same way) already is in the
        caller's library, marked ``already_uploaded``, so a second upload adds no silent
        duplicate. A private copy of a file a colleague shares, or a shared copy of one's own
        private file, is a new document."""
        with self.platform.db.read() as session:
            found = session.scalar(visible(principal).where(
                Document.org == org, Document.sha256 == digest,
                Document.shared.is_(shared)).limit(1))
            return None if found is None else found.as_dict() | {"already_uploaded": True}

    def _injected(self, text: str, org: str, user: str) -> bool:
        """True when the guardrails block this text as a document the model would read
        (indirect injection; they record the incident themselves)."""
        from aiplus.guard.contract import CallContext, Direction
        from aiplus.guard.pipeline import guardrails_of

        result = guardrails_of(self.platform).scan(
            text, Direction.DOCUMENT, CallContext(org=org, app="copilot", user=user))
        return not result.allowed

    # -- reading ---------------------------------------------------------------------------
    def list(self, principal: Principal) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            rows = session.scalars(visible(principal).order_by(Document.created_at.desc(),
                                                               Document.id.desc()))
            return [row.as_dict() for row in rows]

    @staticmethod
    def readable(session: Session, principal: Principal, document_id: int) -> Document:
        document = session.scalar(visible(principal).where(Document.id == document_id))
        if document is None:
            raise NotFound()
        return document

    def get(self, principal: Principal, document_id: int) -> dict[str, Any]:
        with self.platform.db.read() as session:
            document = self.readable(session, principal, document_id)
            return document.as_dict() | {"chunks": [
                {"seq": c.seq, "page": c.page, "heading": c.heading, "kind": c.kind,
                 "text": c.text, "flagged": c.flagged} for c in document.chunks]}

    def text_of(self, principal: Principal, document_id: int) -> tuple[str, str, np.ndarray]:
        """The document's usable text (flagged chunks left out), its language and the
        vectors of those chunks."""
        with self.platform.db.read() as session:
            document = self.readable(session, principal, document_id)
            usable = [c for c in document.chunks if not c.flagged]
            text = "\n\n".join(c.text for c in usable)
            vectors = np.vstack([c.embedding() for c in usable]) if usable else \
                np.zeros((0, embeddings.DIM), dtype=np.float32)
            return text, document.lang, vectors

    def candidates(self, principal: Principal, document_ids: list[int]) -> list[Candidate]:
        """The unflagged chunks of the chosen documents, all of which the asker may read."""
        if not document_ids:
            raise ValidationFailed(N_("Choose at least one document."))
        with self.platform.db.read() as session:
            documents = [self.readable(session, principal, i) for i in dict.fromkeys(document_ids)]
            return [Candidate(c.id, d.id, d.filename, c.page, c.heading, c.text, c.embedding())
                    for d in documents for c in d.chunks if not c.flagged]

    # -- changes ---------------------------------------------------------------------------
    def _owned(self, session: Session, principal: Principal, document_id: int) -> Document:
        document = self.readable(session, principal, document_id)
        if document.owner != principal.actor and not principal.has_role(document.org,
                                                                         Role.ADMIN):
            raise Forbidden()
        return document

    def update(self, principal: Principal, document_id: int, *, pinned: bool | None = None,
               shared: bool | None = None) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            document = self._owned(session, principal, document_id)
            if pinned is not None:
                document.pinned = pinned
            if shared is not None:
                document.shared = shared
            audit.record(session, actor=principal.actor, org=document.org,
                         action="copilot.document.update", target=f"document:{document.id}",
                         detail={"pinned": document.pinned, "shared": document.shared})
            return document.as_dict()

    def delete(self, principal: Principal, document_id: int) -> None:
        with self.platform.db.transaction() as session:
            document = self._owned(session, principal, document_id)
            key = document.storage_key
            self.remove(session, document)
            audit.record(session, actor=principal.actor, org=document.org,
                         action="copilot.document.delete", target=f"document:{document_id}")
        self.platform.files.path(key).unlink(missing_ok=True)

    @staticmethod
    def remove(session: Session, document: Document) -> None:
        session.execute(delete(Chunk).where(Chunk.document_id == document.id))
        # the chunks are gone: forget any loaded ones, or deleting the document would delete
        # them again through the relationship's cascade (and find no rows)
        session.expire(document, ["chunks"])
        session.delete(document)


def expire(db: Database, files: FileStore) -> dict[str, int]:
    """Delete every unpinned document past its expiry, with its chunks (and so its vectors)
    and its stored file. Files go after the commit: a failed transaction deletes nothing."""
    keys: list[str] = []
    chunks = 0
    with db.transaction() as session:
        expired = session.scalars(select(Document).where(
            Document.pinned.is_(False), Document.expires_at < utcnow())).all()
        for document in expired:
            chunks += len(document.chunks)
            keys.append(document.storage_key)
            Library.remove(session, document)
            audit.record(session, actor="retention", org=document.org,
                         action="copilot.document.expire", target=f"document:{document.id}")
    for key in keys:
        files.path(key).unlink(missing_ok=True)
    return {"documents": len(keys), "chunks": chunks}
