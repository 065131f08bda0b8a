"""Templates for government writing, and drafts made from them.

Each template is data: its sections, the facts it asks for and a version (recorded with
every draft). The skeleton is always filled from the officer's facts without any model, so a
draft exists even when no model answers; with a model, each section is written from the facts
and the passages retrieved from the officer's documents, and the officer edits the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Template:
    key: str
    version: str
    title_en: str
    title_zh: str
    sections: tuple[str, ...]
    fields: tuple[str, ...]
    guidance: str

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "version": self.version,
                "title": {"en": self.title_en, "zh-Hant": self.title_zh},
                "sections": list(self.sections), "fields": list(self.fields)}


TEMPLATES = {t.key: t for t in (
    Template("internal_memo", "1", "Internal memo", "內部備忘錄",
             ("Purpose", "Background", "Proposal", "Action required"),
             ("to", "from", "subject", "date", "facts"),
             "a concise internal memorandum between government officers, in plain language"),
    Template("public_reply", "1", "Reply to a member of the public", "回覆市民",
             ("Acknowledgement", "Reply", "Further enquiries"),
             ("addressee", "subject", "facts"),
             "a courteous reply to a member of the public, clear and free of jargon"),
    Template("press_release", "1", "Press release", "新聞公報",
             ("Headline", "Lead paragraph", "Details", "Ends"),
             ("subject", "date", "facts"),
             "a government press release: headline, a lead paragraph with who/what/when, "
             "details in short paragraphs, ending with 'Ends'"),
    Template("meeting_minutes", "1", "Meeting minutes", "會議紀錄",
             ("Attendance", "Matters discussed", "Decisions", "Follow-up actions"),
             ("subject", "date", "facts"),
             "minutes of a meeting: numbered items, decisions and follow-up actions with owners"),
    Template("legco_reply", "1", "LegCo question reply outline", "立法會質詢答覆綱要",
             ("Preamble", "Reply to part (a)", "Reply to part (b)", "Reply to part (c)"),
             ("subject", "facts"),
             "an outline of the Administration's reply to a Legislative Council question: a "
             "preamble, then a reply to each part of the question in turn"),
)}


def template(key: str) -> Template:
    found = TEMPLATES.get(key)
    if found is None:
        raise ValidationFailed(N_("Unknown template; choose one of: {choices}."),
                               choices=", ".join(TEMPLATES))
    return found


def clean_facts(tpl: Template, facts: dict[str, str]) -> dict[str, str]:
    cleaned = {k: " ".join(str(v).split()) if k != "facts" else str(v).strip()
               for k, v in facts.items() if k in tpl.fields and str(v).strip()}
    if not cleaned.get("facts"):
        raise ValidationFailed(N_("Give the facts the draft should say."))
    if sum(len(v) for v in cleaned.values()) > 8000:
        raise ValidationFailed(N_("The facts may be at most {limit} characters."), limit=8000)
    return cleaned


def skeleton(tpl: Template, facts: dict[str, str], lang: str) -> str:
    """The template filled with the facts as given: a draft with no model at all."""
    title = tpl.title_zh if lang == "zh-Hant" else tpl.title_en
    head = [f"# {title}"] + [f"{k.capitalize()}: {v}" for k, v in facts.items()
                             if k != "facts"]
    points = [line.strip(" -•") for line in facts["facts"].splitlines() if line.strip()]
    body = [f"## {tpl.sections[0]}", *(f"- {p}" for p in points)]
    body += [line for section in tpl.sections[1:] for line in (f"## {section}", "…")]
    return "\n".join(head + [""] + body)


def prompt(tpl: Template, facts: dict[str, str], passages: list[str],
           lang: str) -> tuple[str, str, list[str]]:
    """System and user messages, and the part of the user message the gateway must judge as a
    document (the passages with their heading: our scaffolding, not the officer's words)."""
    language = "Traditional Chinese" if lang == "zh-Hant" else "English"
    system = ("You are a careful assistant to Hong Kong civil servants. Please write "
              f"{tpl.guidance}, in {language}, with the sections {', '.join(tpl.sections)}, "
              "from the facts and passages given.")
    user = "\n".join(f"{k}: {v}" for k, v in facts.items())
    documents = ["Passages from the officer's documents:\n" + "\n---\n".join(passages)
                 ] if passages else []
    return system, "\n\n".join([user, *documents]), documents


def to_docx(text: str) -> bytes:
    """The draft as a Word document: '#' lines become headings, '- ' lines bullets."""
    import io

    import docx

    document = docx.Document()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            level = min(len(stripped) - len(stripped.lstrip("#")), 4)
            document.add_heading(stripped.lstrip("# "), level=level)
        elif stripped.startswith(("- ", "• ")):
            document.add_paragraph(stripped[2:], style="List Bullet")
        else:
            document.add_paragraph(stripped)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
