"""The bilingual glossary of government terms that translations must use.

A starting set of common terms ships with the copilot (written by the AI Plus team from the
public names of Hong Kong institutions and documents); each organisation's team adds and
corrects its own terms, which take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.apps.copilot.tables import GlossaryTerm
from aiplus.core import audit
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

BUILT_IN: dict[str, str] = {
    "Legislative Council": "立法會",
    "Executive Council": "行政會議",
    "Chief Executive": "行政長官",
    "Chief Secretary for Administration": "政務司司長",
    "Financial Secretary": "財政司司長",
    "Secretary for Justice": "律政司司長",
    "Policy Address": "施政報告",
    "Budget": "財政預算案",
    "District Council": "區議會",
    "Government Secretariat": "政府總部",
    "bureau": "決策局",
    "department": "部門",
    "public consultation": "公眾諮詢",
    "press release": "新聞公報",
    "Legislative Council Panel": "立法會事務委員會",
    "Member of the Legislative Council": "立法會議員",
    "civil servant": "公務員",
    "Civil Service Bureau": "公務員事務局",
    "Transport Department": "運輸署",
    "Immigration Department": "入境事務處",
    "Digital Policy Office": "數字政策辦公室",
    "Hong Kong Special Administrative Region": "香港特別行政區",
    "Basic Law": "基本法",
    "subsidiary legislation": "附屬法例",
    "Ordinance": "條例",
    "Finance Committee": "財務委員會",
    "memorandum": "備忘錄",
    "minutes": "會議紀錄",
    "personal data": "個人資料",
    "Privacy Commissioner for Personal Data": "個人資料私隱專員",
}


@dataclass(frozen=True)
class Term:
    en: str
    zh: str


def terms(session: Session, org: str) -> list[Term]:
    """The built-in terms overridden by the organisation's own, longest first (so that
    "Legislative Council Panel" wins over "Legislative Council")."""
    merged = dict(BUILT_IN)
    for row in session.scalars(select(GlossaryTerm).where(GlossaryTerm.org == org)):
        merged[row.en] = row.zh
    return sorted((Term(en, zh) for en, zh in merged.items()), key=lambda t: -len(t.en))


def relevant(glossary: list[Term], text: str, source_lang: str) -> list[Term]:
    """The terms that occur in ``text``, in the source language's spelling."""
    lowered = text.lower()
    found: list[Term] = []
    for term in glossary:
        needle = term.zh if source_lang == "zh-Hant" else term.en.lower()
        if needle in (text if source_lang == "zh-Hant" else lowered) and not any(
                needle in (t.zh if source_lang == "zh-Hant" else t.en.lower()) for t in found):
            found.append(term)
    return found


def save(session: Session, org: str, en: str, zh: str, actor: str) -> GlossaryTerm:
    en, zh = " ".join(en.split()), " ".join(zh.split())
    if not en or not zh or len(en) > 200 or len(zh) > 200:
        raise ValidationFailed(N_("Give the term in both languages, at most 200 characters "
                                  "each."))
    row = session.scalar(select(GlossaryTerm).where(GlossaryTerm.org == org,
                                                    GlossaryTerm.en == en))
    if row is None:
        row = GlossaryTerm(org=org, en=en, zh=zh, updated_by=actor)
        session.add(row)
    else:
        row.zh, row.updated_by = zh, actor
    session.flush()
    audit.record(session, actor=actor, org=org, action="copilot.glossary.save",
                 target=f"glossary:{row.id}", detail={"en": en, "zh": zh})
    return row
