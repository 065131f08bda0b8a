"""The impact-assessment report, as HTML (in the reader's language) and as a bilingual PDF.

Both are built from one list of sections (:func:`report_sections`) so they cannot disagree.
The PDF embeds a TrueType CJK font when the system has one (found with ``fc-match``); Debian's
``fonts-noto-cjk`` ships only CFF outlines, which ReportLab cannot embed, so the fallback is
ReportLab's built-in Traditional Chinese CID font (MSung-Light), which PDF readers supply.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from fastapi import Request
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from aiplus.core.i18n import N_, translator
from aiplus.ethics.assessment.questionnaire import LEVEL_NAMES, load
from aiplus.platform.negotiation import locale_of


def report_sections(data: dict[str, Any], locale: str) -> list[dict[str, Any]]:
    """Headings with rows of (label, value) in ``locale``; the answers with their weights."""
    translate = translator(locale)
    form = load(data["questionnaire"])
    card = data["model_card"]
    met = set(data["unmet_requirements"])
    sections: list[dict[str, Any]] = [
        {"title": translate(N_("Summary")), "rows": [
            (translate(N_("Model")), card["ref"]),
            (translate(N_("Organisation")), data["org"]),
            (translate(N_("Questionnaire")),
             f"{form.title.get(locale)} ({data['questionnaire_version']})"),
            (translate(N_("Status")), translate(data["status"])),
            (translate(N_("Risk level")), LEVEL_NAMES[data["level"] - 1]),
            (translate(N_("Raw impact score")), f"{data['raw_impact']:g}"),
            (translate(N_("Mitigation score")), f"{data['mitigation']:g}"),
            (translate(N_("Resulting score")), f"{data['score']:g}"),
            (translate(N_("Submitted by")), data["submitted_by"]),
            (translate(N_("Reviewer")), data["reviewer"] or "—"),
            (translate(N_("Review note")), data["review_note"] or "—"),
            (translate(N_("Next assessment due")), data["next_review_on"] or "—"),
        ]},
        {"title": translate(N_("Model card")), "rows": [
            (translate(N_("Intended use")), card["card"]["intended_use"][locale]),
            (translate(N_("Out-of-scope uses")), card["card"]["out_of_scope"][locale]),
            (translate(N_("Data")), card["card"]["data"][locale]),
            (translate(N_("Limits")), card["card"]["limits"][locale]),
            (translate(N_("Training-data lineage")), ", ".join(
                f"{k}: {v}" for k, v in card["lineage"].items())),
            (translate(N_("Metrics")), ", ".join(f"{k}: {v:.4g}" for k, v in card["metrics"].items())
             or "—"),
        ]},
        {"title": translate(N_("Requirements of this level")), "rows": [
            (r["text"][locale], translate(N_("Not met")) if r["id"] in met else translate(N_("Met")))
            for r in data["requirements"]]},
        {"title": translate(N_("Evidence")), "rows": [
            (e.get("plugin") or e.get("name"),
             e.get("summary") or e.get("sha256", "")) for e in data["evidence"]]},
    ]
    for section in form.sections:
        rows = []
        for question in section.questions:
            chosen = question.option(data["answers"].get(question.id, ""))
            answer = chosen.label.get(locale) if chosen else translate(N_("Not answered"))
            points = question.weight * chosen.score if chosen else 0
            rows.append((question.text.get(locale), f"{answer} ({points:g})"))
        sections.append({"title": section.title.get(locale), "rows": rows})
    return sections


def report_html(request: Request, data: dict[str, Any]) -> str:
    """A standalone HTML file (for archiving or printing) in the reader's language."""
    locale = locale_of(request)
    template = request.app.state.templates.get_template("responsible_report_file.html")
    return template.render(data=data, sections=report_sections(data, locale), locale=locale,
                           _=translator(locale))


@cache
def cjk_font() -> str:
    """The name of a registered font that can draw Traditional Chinese."""
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-hk:fontformat=TrueType"],
            capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        if found.lower().endswith((".ttf", ".ttc")):
            try:
                pdfmetrics.registerFont(TTFont("AiplusCJK", found, subfontIndex=0))
                return "AiplusCJK"
            except TTFError:
                pass
    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    return "MSung-Light"


def report_pdf(data: dict[str, Any]) -> bytes:
    """The report in both languages, English first, each section followed by its Chinese."""
    font = cjk_font()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=font, fontSize=8.5,
                          leading=11)
    heading = ParagraphStyle("heading", parent=styles["Heading2"], fontName=font)
    title = ParagraphStyle("title", parent=styles["Title"], fontName=font)
    story: list[Any] = [
        Paragraph(escape(f"{translator('en')(N_('Impact assessment report'))} / "
                         f"{translator('zh-Hant')(N_('Impact assessment report'))}"), title),
        Paragraph(escape(data["model_card"]["ref"]), heading)]
    english, chinese = report_sections(data, "en"), report_sections(data, "zh-Hant")
    for section_en, section_zh in zip(english, chinese, strict=True):
        story.append(Paragraph(escape(f"{section_en['title']} / {section_zh['title']}"),
                               heading))
        rows = [[Paragraph(escape(str(a)), body), Paragraph(escape(str(b)), body)]
                for a, b in section_en["rows"]]
        rows += [[Paragraph(escape(str(a)), body), Paragraph(escape(str(b)), body)]
                 for a, b in section_zh["rows"]]
        if rows:
            table = Table(rows, colWidths=[95 * mm, 80 * mm])
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
        story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"Impact assessment {data['id']}",
                      author="AI Plus", leftMargin=15 * mm, rightMargin=15 * mm).build(story)
    return buffer.getvalue()
