"""Answering a citizen's question from approved FAQs, or handing it over to an officer.

Two steps, so that a voice call can store its call record, its hand-over and its audit entry
in one transaction: :meth:`Enquiries.decide` does the slow work (retrieval, a translation
through the LLM gateway) outside any transaction; :meth:`Enquiries.commit` writes what was
decided. Below the calibrated confidence the service never guesses: it hands over.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aiplus.apps.enquiry.tables import Conversation, Faq, FaqVersion, Handover, KnowledgeBase
from aiplus.apps.enquiry.privacy import mask_personal_data
from aiplus.apps.enquiry.retrieval import Retrieval, Subject
from aiplus.apps.enquiry.service import KnowledgeBases, normalised_question
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import BadRequest, Forbidden, Unavailable, ValidationFailed
from aiplus.core.i18n import N_, translator
from aiplus.platform.services import Platform

log = logging.getLogger(__name__)
LANGS = ("en", "zh-Hant")
LANGUAGE_NAMES = {"en": "English", "zh-Hant": "Traditional Chinese as written in Hong Kong"}
HANDOVER_MESSAGE = N_("I am not sure I can answer this correctly, so I have passed your question "
                      "to an officer. Your reference number is {reference}.")
ONLY_IN_OTHER_LANGUAGE = N_("This answer is only available in the other language; a translation "
                            "could not be made just now.")
MACHINE_TRANSLATED = N_("Machine-translated from the official answer.")


def clean_question(text: object, limit: int) -> str:
    """The question as asked, or a clear error: empty, too long, or not text at all."""
    if not isinstance(text, str):
        raise BadRequest(N_("The question must be text."))
    stripped = text.strip()
    if not stripped:
        raise BadRequest(N_("Please type a question."))
    if len(text) > limit:
        raise ValidationFailed(N_("A question may be at most {limit} characters."), limit=limit)
    if any(c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\t\n\r")
           for c in stripped):
        raise BadRequest(N_("The question contains control characters or binary data."))
    return " ".join(stripped.split())


def language_of(lang: str | None, detected: str) -> str:
    if lang in (None, "", "auto"):
        return detected
    if lang not in LANGS:
        raise ValidationFailed(N_("The language must be auto, en or zh-Hant."))
    return lang


@lru_cache(maxsize=1)
def _hong_kong_chinese() -> Any:
    import opencc  # the LLM writes some Simplified characters; s2hk puts them right

    return opencc.OpenCC("s2hk")


@dataclass
class Decision:
    """What the service will say, before anything is stored."""

    kb: str
    org: str
    question: str  # masked
    lang: str
    retrieval: Retrieval
    channel: str
    faq_id: str | None = None
    version_id: int | None = None
    answer: str = ""
    machine_translated: bool = False
    translation: str | None = None  # a new translation to cache on the version
    note: str | None = None
    generated: bool = False
    subject: Subject | None = None
    reference: str | None = None
    conversation_id: str | None = None

    @property
    def handover(self) -> bool:
        return self.faq_id is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer, "faq_id": self.faq_id,
            "confidence": round(self.retrieval.confidence, 4), "lang": self.lang,
            "handover": self.handover, "reference": self.reference,
            "machine_translated": self.machine_translated, "note": self.note,
            "generated": self.generated, "kb": self.kb,
            "conversation_id": self.conversation_id,
            "subject": ({"category": self.subject.category, "department": self.subject.department,
                         "score": round(self.subject.score, 4)} if self.subject else None),
            "candidates": [{"faq_id": c.faq_id, "score": round(c.score, 4)}
                           for c in self.retrieval.candidates[:10]],
        }


class Enquiries:
    """The answering service of one platform."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.kbs = KnowledgeBases(platform)
        self.settings = enquiry_settings()

    def ask(self, text: object, *, kb: str | None = None, lang: str | None = "auto",
            conversation_id: str | None = None, actor: str = "anonymous") -> dict[str, Any]:
        """Answer one chat question and remember it for follow-ups."""
        decision = self.decide(text, kb=kb, lang=lang, conversation_id=conversation_id)
        with self.platform.db.transaction() as session:
            self.commit(session, decision, actor=actor, remember=True)
        return decision.as_dict()

    def decide(self, text: object, *, kb: str | None = None, lang: str | None = "auto",
               conversation_id: str | None = None, channel: str = "chat") -> Decision:
        question = mask_personal_data(clean_question(text, self.settings.max_question_chars))
        name = kb or self.settings.default_kb
        with self.platform.db.read() as session:
            kb_row = KnowledgeBases.get(session, name)
            turns = self._turns(session, conversation_id)
        models = self.kbs.models(name)
        retrieval = models.index.search(question, k=10, context=[t["q"] for t in turns])
        decision = Decision(kb=name, org=kb_row.org, question=question, channel=channel,
                            lang=language_of(lang, retrieval.lang), retrieval=retrieval,
                            conversation_id=conversation_id if turns else None)
        version = None if retrieval.handover else self._best_version(kb_row, retrieval)
        if version is None:
            decision.subject = models.classify(question)
            decision.reference = "H-" + secrets.token_hex(4).upper()
            decision.answer = translator(decision.lang)(HANDOVER_MESSAGE,
                                                        reference=decision.reference)
            return decision
        decision.faq_id, decision.version_id = version.faq.key, version.id
        self._answer_in_language(decision, version)
        if self.settings.grounded_generation:
            self._grounded(decision, version)
        return decision

    def _turns(self, session: Session, conversation_id: str | None) -> list[dict[str, Any]]:
        if not conversation_id:
            return []
        conversation = session.get(Conversation, conversation_id[:32])
        if conversation is None or conversation.updated_at < self._retention_cutoff():
            return []
        return list(conversation.turns)

    def _retention_cutoff(self) -> datetime:
        return utcnow() - timedelta(hours=self.settings.conversation_hours)

    def _best_version(self, kb: KnowledgeBase, retrieval: Retrieval) -> FaqVersion | None:
        """The live version of the best candidate FAQ, skipping any retired or out of date
        since the index last heard of it."""
        best = retrieval.candidates[0].faq_id if retrieval.candidates else None
        if best is None:
            return None
        with self.platform.db.read() as session:
            faq = session.scalar(select(Faq).where(Faq.kb_id == kb.id, Faq.key == best))
            live = faq.live if faq else None
            return live if live is not None and live.valid_on(date.today()) else None

    def _answer_in_language(self, decision: Decision, version: FaqVersion) -> None:
        own = version.answer(decision.lang)
        if own:
            decision.answer = own
            return
        cached = version.translations.get(decision.lang)
        other = version.answer_en or version.answer_zh or ""
        translated = cached or self.translate(other, decision.lang, decision.org)
        if translated:
            decision.answer, decision.machine_translated = translated, True
            decision.translation = None if cached else translated
            decision.note = translator(decision.lang)(MACHINE_TRANSLATED)
        else:
            decision.answer = other
            decision.note = translator(decision.lang)(ONLY_IN_OTHER_LANGUAGE)

    def _chat(self, messages: list[dict[str, str]], org: str, max_tokens: int,
              documents: tuple[str, ...] = ()) -> str | None:
        """One call through the platform's LLM gateway, or ``None`` when it cannot answer.
        ``documents`` are the FAQ texts placed in the messages: the gateway scans them as
        documents (an instruction hidden in a knowledge-base entry is an indirect injection)
        and the citizen's words as input."""
        try:
            from aiplus.guard.contract import CallContext
            from aiplus.gateway import gateway_of
        except ImportError:
            return None
        try:
            gateway = gateway_of(self.platform)
            if not gateway.available():
                return None
            result = gateway.chat(messages, max_tokens=max_tokens, temperature=0.0,
                                  context=CallContext(org=org, app="enquiry", user=None,
                                                      documents=documents))
        except (Unavailable, Forbidden) as problem:
            log.warning("LLM gateway refused an enquiry call: %s", problem)
            return None
        return result.text.strip() or None

    def translate(self, text: str, lang: str, org: str, *, max_tokens: int = 400) -> str | None:
        """``text`` in ``lang`` through the gateway, or ``None`` when it cannot be made.

        The instruction is worded as a task description, not as an order about how to reply:
        the gateway's prompt-injection classifier reads "reply with ... only" as an attempt
        to steer the model and blocks the call."""
        system = "You translate Hong Kong government FAQs between English and Traditional Chinese."
        user = f"Translate this text into {LANGUAGE_NAMES[lang]}:\n{text}"
        translated = self._chat([{"role": "system", "content": system},
                                 {"role": "user", "content": user}], org, max_tokens=max_tokens,
                                documents=(text,))
        if translated and lang == "zh-Hant":
            translated = _hong_kong_chinese().convert(translated)
        return translated

    def _grounded(self, decision: Decision, version: FaqVersion) -> None:
        """Phrase the approved answer for this question, citing the FAQ; on any failure the
        approved answer stands as it is."""
        system = ("You answer citizens for the Hong Kong Government's 1823 service. Use ONLY "
                  "the FAQ given. If it does not answer the question, reply with the FAQ's "
                  f"answer unchanged. Reply in {LANGUAGE_NAMES[decision.lang]}, briefly.")
        user = (f"FAQ {version.faq.key}\nQ: {version.question_en or version.question_zh}\n"
                f"A: {decision.answer}\n\nCitizen's question: {decision.question}")
        text = self._chat([{"role": "system", "content": system},
                           {"role": "user", "content": user}], decision.org, max_tokens=300,
                          documents=(version.question_en or version.question_zh or "",
                                     decision.answer))
        if text:
            decision.answer = f"{text} [FAQ {version.faq.key}]"
            decision.generated = True

    def commit(self, session: Session, decision: Decision, *, actor: str,
               remember: bool) -> None:
        """Store the decision: hand-over, cached translation, conversation turn, audit entry."""
        kb = KnowledgeBases.get(session, decision.kb)
        if decision.handover:
            subject = decision.subject
            session.add(Handover(
                reference=decision.reference, kb_id=kb.id, question=decision.question,
                question_key=normalised_question(decision.question), lang=decision.lang,
                channel=decision.channel, confidence=decision.retrieval.confidence,
                candidates=decision.as_dict()["candidates"],
                category=subject.category if subject else None,
                department=subject.department if subject else None))
        if decision.translation and decision.version_id is not None:
            version = session.get(FaqVersion, decision.version_id)
            if version is not None:
                version.translations = {**version.translations, decision.lang: decision.translation}
        if remember:
            self._remember(session, kb, decision)
        audit.record(session, actor=actor, org=kb.org, action="enquiry.answer",
                     target=f"{decision.kb}/{decision.faq_id or decision.reference}",
                     detail={"faq_id": decision.faq_id, "handover": decision.handover,
                             "confidence": round(decision.retrieval.confidence, 4),
                             "lang": decision.lang, "channel": decision.channel,
                             "machine_translated": decision.machine_translated,
                             "generated": decision.generated})

    def _remember(self, session: Session, kb: KnowledgeBase, decision: Decision) -> None:
        """Keep the last few turns for follow-ups; drop conversations past retention."""
        session.execute(delete(Conversation).where(
            Conversation.updated_at < self._retention_cutoff()))
        conversation = (session.get(Conversation, decision.conversation_id)
                        if decision.conversation_id else None)
        if conversation is None:
            conversation = Conversation(id=secrets.token_hex(16), kb_id=kb.id, turns=[])
            session.add(conversation)
        turn = {"q": decision.question, "faq_id": decision.faq_id}
        conversation.turns = [*conversation.turns, turn][-self.settings.conversation_turns:]
        conversation.updated_at = utcnow()
        decision.conversation_id = conversation.id
