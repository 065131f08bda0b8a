"""Knowledge bases and their FAQs: import, export, edit, review and the live search index.

Rules kept here, not in the web layer: officers of the owning organisation edit; reviewers
approve; nobody approves their own edit (four eyes); only approved versions valid today are
served. Each knowledge base has one in-memory index per platform (``platform.shared``),
updated entry by entry when a version is approved or an FAQ retired, never rebuilt whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiplus.apps.enquiry.formats import FaqRecord
from aiplus.apps.enquiry.tables import Faq, FaqVersion, KnowledgeBase, VersionStatus
from aiplus.apps.enquiry.question_translation import TRANSLATE_QUESTIONS_JOB, needs_translation
from aiplus.apps.enquiry.retrieval import FaqEntry, FaqIndex, Subject, SubjectClassifier
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.compute.jobs import Job, JobStatus
from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import SLUG_PATTERN, Principal, Role, get_org
from aiplus.platform.services import Platform

_CONTENT = ("question_en", "question_zh", "answer_en", "answer_zh", "phrasings", "category",
            "department", "source_url", "valid_from", "valid_to")


def entry_of(version: FaqVersion) -> FaqEntry:
    return FaqEntry(
        id=version.faq.key, question_en=version.question_en, question_zh=version.question_zh,
        answer_en=version.answer_en, answer_zh=version.answer_zh,
        phrasings=tuple(version.phrasings), machine_questions=version.machine_questions(),
        category=version.category, department=version.department)


def record_of(version: FaqVersion) -> FaqRecord:
    return FaqRecord(
        id=version.faq.key, question=version.question_en, answer=version.answer_en,
        question_zh=version.question_zh, answer_zh=version.answer_zh,
        phrasings=tuple(version.phrasings), category=version.category,
        department=version.department, source_url=version.source_url,
        valid_from=version.valid_from, valid_to=version.valid_to)


def _content(record: FaqRecord) -> dict[str, Any]:
    return {"question_en": record.question, "question_zh": record.question_zh,
            "answer_en": record.answer, "answer_zh": record.answer_zh,
            "phrasings": list(record.phrasings), "category": record.category,
            "department": record.department, "source_url": record.source_url,
            "valid_from": record.valid_from, "valid_to": record.valid_to}


def _same_content(version: FaqVersion, record: FaqRecord) -> bool:
    wanted = _content(record)
    return all(getattr(version, name) == wanted[name] for name in _CONTENT)


@lru_cache(maxsize=8)
def fitted_classifier(entries: tuple[FaqEntry, ...]) -> SubjectClassifier:
    """One fit per distinct set of FAQs in this process: the same FAQs give the same model,
    and fitting (embedding every phrasing) is the slow part."""
    return SubjectClassifier().fit(entries)


class KbModels:
    """The retrieval index and the subject classifier of one knowledge base.

    The classifier is refitted lazily, on the first prediction after a change, because
    fitting costs far more than one upsert and approvals come in bursts."""

    def __init__(self, entries: list[FaqEntry], day: date | None = None) -> None:
        self.index = FaqIndex(entries)
        self._entries = {entry.id: entry for entry in entries}
        self._classifier: SubjectClassifier | None = None
        self.day = day or date.today()  # the day whose validity windows the models reflect

    def catch_up(self, entries: list[FaqEntry], day: date) -> None:
        """Bring the models to ``entries``, the FAQs valid on ``day``: an FAQ approved with
        a future start joins on its first day, an expired one leaves (only those changes are
        applied; unchanged FAQs are not re-encoded)."""
        wanted = {entry.id: entry for entry in entries}
        for key in [k for k in self._entries if k not in wanted]:
            self.remove(key)
        for key, entry in wanted.items():
            if self._entries.get(key) != entry:
                self.upsert(entry)
        self.day = day

    def upsert(self, entry: FaqEntry) -> None:
        self.index.upsert(entry)
        self._entries[entry.id] = entry
        self._classifier = None

    def remove(self, key: str) -> None:
        if key in self.index:
            self.index.remove(key)
        self._entries.pop(key, None)
        self._classifier = None

    def classify(self, text: str) -> Subject | None:
        """The predicted subject, or ``None`` while the KB has fewer than two categories."""
        if len({e.category for e in self._entries.values() if e.category}) < 2:
            return None
        if self._classifier is None:
            self._classifier = fitted_classifier(tuple(sorted(self._entries.values(),
                                                              key=lambda e: e.id)))
        return self._classifier.predict(text)


class BuiltModels:
    """The KbModels built so far on one platform, by knowledge-base name."""

    def __init__(self) -> None:
        self._models: dict[str, KbModels] = {}
        self._lock = threading.Lock()

    def get(self, name: str, build: Callable[[], KbModels]) -> KbModels:
        with self._lock:
            if name not in self._models:
                self._models[name] = build()
            return self._models[name]

    def peek(self, name: str) -> KbModels | None:
        return self._models.get(name)


class KnowledgeBases:
    """The knowledge-base service of one platform."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    # ---- reading -------------------------------------------------------------------------
    @staticmethod
    def get(session: Session, name: str) -> KnowledgeBase:
        kb = session.scalar(select(KnowledgeBase).where(KnowledgeBase.name == name))
        if kb is None:
            raise NotFound(N_("There is no knowledge base called {name}."), name=name)
        return kb

    def list(self) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            counts = dict(session.execute(
                select(Faq.kb_id, func.count()).where(Faq.live_version_id.is_not(None))
                .group_by(Faq.kb_id)).all())
            return [{**kb.as_dict(), "faqs": counts.get(kb.id, 0)}
                    for kb in session.scalars(select(KnowledgeBase).order_by(KnowledgeBase.name))]

    @staticmethod
    def _staff_only(principal: Principal, kb: KnowledgeBase) -> None:
        """Drafts and review notes are for the owning organisation's staff."""
        if not principal.has_role(kb.org, Role.OFFICER, Role.REVIEWER):
            raise Forbidden()

    def faqs(self, principal: Principal, name: str) -> list[dict[str, Any]]:
        """Every FAQ of the KB with its live version and its newest version's status."""
        with self.platform.db.read() as session:
            kb = self.get(session, name)
            self._staff_only(principal, kb)
            faqs = session.scalars(select(Faq).where(Faq.kb_id == kb.id).order_by(Faq.key))
            return [{"faq_id": faq.key, "live": faq.live.as_dict() if faq.live else None,
                     "latest": faq.versions[-1].as_dict()} for faq in faqs]

    def faq(self, principal: Principal, name: str, key: str) -> dict[str, Any]:
        with self.platform.db.read() as session:
            kb = self.get(session, name)
            self._staff_only(principal, kb)
            faq = self._faq(session, kb, key)
            return {"faq_id": faq.key, "kb": name,
                    "live": faq.live.as_dict() if faq.live else None,
                    "versions": [v.as_dict() | {"id": v.id} for v in reversed(faq.versions)]}

    @staticmethod
    def _faq(session: Session, kb: KnowledgeBase, key: str) -> Faq:
        faq = session.scalar(select(Faq).where(Faq.kb_id == kb.id, Faq.key == key))
        if faq is None:
            raise NotFound(N_("There is no FAQ {faq_id} in this knowledge base."), faq_id=key)
        return faq

    def review_queue(self, principal: Principal) -> list[dict[str, Any]]:
        """Versions waiting for review in the organisations where ``principal`` reviews."""
        with self.platform.db.read() as session:
            rows = session.scalars(
                select(FaqVersion).where(FaqVersion.status == VersionStatus.PENDING.value)
                .order_by(FaqVersion.edited_at))
            return [v.as_dict() | {"id": v.id, "kb": v.faq.kb.name} for v in rows
                    if principal.has_role(v.faq.kb.org, Role.REVIEWER)]

    def export(self, name: str) -> list[FaqRecord]:
        with self.platform.db.read() as session:
            kb = self.get(session, name)
            faqs = session.scalars(select(Faq).where(Faq.kb_id == kb.id).order_by(Faq.key))
            return [record_of(faq.live) for faq in faqs if faq.live is not None]

    # ---- the live index --------------------------------------------------------------------
    def models(self, name: str) -> KbModels:
        """The KB's index and classifier, built once per platform from its live FAQs and
        caught up with the validity windows on the first use of each new day."""
        models = self._built().get(name, lambda: KbModels(self._live_entries(name)))
        today = date.today()
        if models.day != today:
            models.catch_up(self._live_entries(name), today)
        return models

    def _built(self) -> BuiltModels:
        return self.platform.shared("enquiry.kb-models", BuiltModels)  # type: ignore[no-any-return]

    def _live_entries(self, name: str) -> list[FaqEntry]:
        today = date.today()
        with self.platform.db.read() as session:
            kb = self.get(session, name)
            faqs = session.scalars(select(Faq).where(Faq.kb_id == kb.id))
            return [entry_of(faq.live) for faq in faqs if faq.live and faq.live.valid_on(today)]

    def _publish(self, name: str, versions: list[FaqVersion], retired: list[str]) -> None:
        """After commit: bring a built index up to date, one entry at a time."""
        models = self._built().peek(name)
        if models is None:  # not built yet: the first search builds it from the committed rows
            return
        today = date.today()
        for version in versions:
            if version.valid_on(today):
                models.upsert(entry_of(version))
            else:
                models.remove(version.faq.key)
        for faq_key in retired:
            models.remove(faq_key)

    # ---- writing -----------------------------------------------------------------------------
    def create_kb(self, principal: Principal, name: str, title_en: str, title_zh: str,
                  org: str) -> dict[str, Any]:
        if not SLUG_PATTERN.match(name):
            raise ValidationFailed(N_("A knowledge-base name uses lower-case letters, digits and hyphens."))
        if not principal.has_role(org, Role.OFFICER, Role.REVIEWER):
            raise Forbidden()
        with self.platform.db.transaction() as session:
            get_org(session, org)
            if session.scalar(select(KnowledgeBase.id).where(KnowledgeBase.name == name)):
                raise Conflict(N_("A knowledge base called {name} already exists."), name=name)
            kb = KnowledgeBase(name=name, title_en=title_en.strip() or name,
                               title_zh=title_zh.strip() or name, org=org)
            session.add(kb)
            session.flush()
            audit.record(session, actor=principal.actor, org=org, action="enquiry.kb.create",
                         target=name)
            return kb.as_dict()

    def _new_version(self, session: Session, kb: KnowledgeBase, record: FaqRecord,
                     actor: str, status: VersionStatus) -> FaqVersion | None:
        """A new version of the record's FAQ, or ``None`` when it changes nothing."""
        faq = session.scalar(select(Faq).where(Faq.kb_id == kb.id, Faq.key == record.id))
        if faq is None:
            faq = Faq(kb_id=kb.id, key=record.id)
            session.add(faq)
            session.flush()
        elif faq.versions and _same_content(faq.versions[-1], record):
            return None
        version = FaqVersion(faq=faq, number=len(faq.versions) + 1, edited_by=actor,
                             status=status.value, **_content(record))
        session.add(version)
        session.flush()
        return version

    def edit(self, principal: Principal, name: str, record: FaqRecord, *,
             submit: bool = True) -> dict[str, Any]:
        """Save an officer's edit as a new draft, or straight into the review queue."""
        status = VersionStatus.PENDING if submit else VersionStatus.DRAFT
        with self.platform.db.transaction() as session:
            kb = self.get(session, name)
            if not principal.has_role(kb.org, Role.OFFICER):
                raise Forbidden(N_("Only officers of {org} edit this knowledge base."), org=kb.org)
            version = self._new_version(session, kb, record, principal.actor, status)
            if version is None:
                raise Conflict(N_("This edit changes nothing in the newest version."))
            audit.record(session, actor=principal.actor, org=kb.org, action="enquiry.faq.edit",
                         target=f"{name}/{record.id}",
                         detail={"version": version.number, "status": version.status})
            return version.as_dict() | {"id": version.id}

    def _version(self, session: Session, version_id: int) -> FaqVersion:
        version = session.get(FaqVersion, version_id)
        if version is None:
            raise NotFound(N_("There is no FAQ version {id}."), id=version_id)
        return version

    def submit(self, principal: Principal, version_id: int) -> dict[str, Any]:
        with self.platform.db.transaction() as session:
            version = self._version(session, version_id)
            kb = version.faq.kb
            if not principal.has_role(kb.org, Role.OFFICER):
                raise Forbidden()
            if version.status != VersionStatus.DRAFT.value:
                raise Conflict(N_("Only a draft can be sent for review."))
            version.status = VersionStatus.PENDING.value
            audit.record(session, actor=principal.actor, org=kb.org, action="enquiry.faq.submit",
                         target=f"{kb.name}/{version.faq.key}", detail={"version": version.number})
            return version.as_dict() | {"id": version.id}

    def review(self, principal: Principal, version_id: int, *, approve: bool,
               note: str = "") -> dict[str, Any]:
        """Approve (the version goes live, the index learns it) or reject a pending version."""
        with self.platform.db.transaction() as session:
            version = self._version(session, version_id)
            kb = version.faq.kb
            if not principal.has_role(kb.org, Role.REVIEWER):
                raise Forbidden(N_("Only reviewers of {org} approve FAQs."), org=kb.org)
            if version.edited_by == principal.actor:
                raise Forbidden(N_("Someone other than the editor must review this version."))
            if version.status != VersionStatus.PENDING.value:
                raise Conflict(N_("Only a version waiting for review can be reviewed."))
            self._decide(version, principal.actor, approve, note.strip())
            audit.record(session, actor=principal.actor, org=kb.org,
                         action="enquiry.faq.approve" if approve else "enquiry.faq.reject",
                         target=f"{kb.name}/{version.faq.key}",
                         detail={"version": version.number, "editor": version.edited_by})
            result = version.as_dict() | {"id": version.id}
            key, untranslated = version.faq.key, approve and needs_translation(
                version.question_en, version.question_zh, version.machine_questions())
        if approve:
            self._publish(kb.name, [version], [])
        if untranslated and enquiry_settings().auto_translate_questions:
            result["translation_job"] = self.request_translation(principal, kb.name, kb.org, key)
        return result

    def request_translation(self, principal: Principal, name: str, org: str,
                            key: str) -> str | None:
        """Start the question-translation job for one live FAQ, unless a queued job already
        covers it; returns the id of the job that will translate it.

        Called on approval: an edit reaches citizens only by being approved, and every
        approved version starts without translations, so this is where a single-language
        question needs one. Only a job that has not started is reused: a running one has
        already read the versions it translates. Two approvals racing past the check start
        two jobs; the job stores nothing twice (see :meth:`store_machine_questions`), so that
        costs time only. The submission is audited (``job.submit``) under the approver's name."""
        with self.platform.db.read() as session:
            for job in session.scalars(select(Job).where(
                    Job.kind == TRANSLATE_QUESTIONS_JOB,
                    Job.status == JobStatus.QUEUED.value)):
                covered = job.params.get("faqs")
                if job.params.get("kb") == name and (covered is None or key in covered):
                    return job.id
        job = self.platform.jobs.submit(principal, TRANSLATE_QUESTIONS_JOB,
                                        {"kb": name, "faqs": [key]}, org=org)
        return job.id

    @staticmethod
    def _decide(version: FaqVersion, reviewer: str, approve: bool, note: str) -> None:
        version.reviewed_by, version.reviewed_at, version.review_note = reviewer, utcnow(), note
        if not approve:
            version.status = VersionStatus.REJECTED.value
            return
        if version.faq.live is not None:
            version.faq.live.status = VersionStatus.SUPERSEDED.value
        version.status = VersionStatus.APPROVED.value
        version.faq.live_version_id = version.id

    def store_machine_questions(self, actor: str, name: str,
                                made: dict[str, dict[str, str]]) -> int:
        """Keep machine translations of live FAQs' questions (``{faq_key: {lang: text}}``, see
        :mod:`.question_translation`) on their live versions, for retrieval only; FAQs that
        already have one, or changed language since, are left alone. Returns how many were
        stored."""
        stored = []
        with self.platform.db.transaction() as session:
            kb = self.get(session, name)
            for faq in session.scalars(select(Faq).where(Faq.kb_id == kb.id,
                                                         Faq.key.in_(list(made)))):
                version = faq.live
                if version is None or version.machine_questions():
                    continue
                wanted = {lang: text for lang, text in made[faq.key].items()
                          if (version.question_zh if lang == "zh-Hant" else version.question_en)
                          is None}
                if wanted:
                    version.translations = {**version.translations,
                                            **{f"question:{k}": v for k, v in wanted.items()}}
                    stored.append(version)
            if stored:
                audit.record(session, actor=actor, org=kb.org,
                             action="enquiry.faq.machine-translate", target=name,
                             detail={"faqs": sorted(v.faq.key for v in stored)})
        self._publish(name, stored, [])
        return len(stored)

    def retire(self, principal: Principal, name: str, key: str) -> None:
        """Stop serving an FAQ; its versions stay for the record."""
        with self.platform.db.transaction() as session:
            kb = self.get(session, name)
            if not principal.has_role(kb.org, Role.REVIEWER):
                raise Forbidden()
            faq = self._faq(session, kb, key)
            if faq.live is None:
                raise Conflict(N_("This FAQ is not being served."))
            faq.live.status = VersionStatus.RETIRED.value
            faq.live_version_id = None
            audit.record(session, actor=principal.actor, org=kb.org, action="enquiry.faq.retire",
                         target=f"{name}/{key}")
        self._publish(name, [], [key])

    def import_records(self, principal: Principal, name: str, records: list[FaqRecord], *,
                       approve: bool = False) -> dict[str, int]:
        """Import validated records in one transaction; unchanged FAQs are skipped, so the same
        file imported twice changes nothing. ``approve`` (operators only: the platform admin
        running the CLI or the demo loader) puts them live at once, audited as such."""
        if approve and not principal.platform_admin:
            raise Forbidden(N_("Only a platform operator may import FAQs as approved."))
        status = VersionStatus.PENDING
        with self.platform.db.transaction() as session:
            kb = self.get(session, name)
            if not principal.has_role(kb.org, Role.OFFICER):
                raise Forbidden(N_("Only officers of {org} edit this knowledge base."), org=kb.org)
            created = [v for v in (self._new_version(session, kb, record, principal.actor, status)
                                   for record in records) if v is not None]
            if approve:
                for version in created:
                    self._decide(version, principal.actor, True, "bulk import by operator")
            if created:  # an import that changes nothing leaves no trace either
                audit.record(session, actor=principal.actor, org=kb.org,
                             action="enquiry.faq.import", target=name,
                             detail={"rows": len(records), "versions": len(created),
                                     "approved": approve})
        if approve:
            self._publish(name, created, [])
        return {"rows": len(records), "versions": len(created),
                "unchanged": len(records) - len(created)}


def normalised_question(text: str) -> str:
    """A grouping key for analytics: case, punctuation and spacing folded away."""
    folded = re.sub(r"[^\w]+", " ", text.casefold()).strip()
    return folded[:200]
