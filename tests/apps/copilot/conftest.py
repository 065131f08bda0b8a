"""Copilot test helpers: small documents of every supported kind, built in memory with the
same libraries officers' files come from, and a gateway whose answers the test controls."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import aiplus
from aiplus.platform.services import Platform
from tests.factories import Factory, Member
from tests.live_server import LiveServer
from tests.gateway.conftest import EchoUpstream, remote, use_gateway

CATALOGUE = Path(aiplus.__file__).parent / "locale" / "zh_Hant" / "LC_MESSAGES" / "messages.po"


def _chinese() -> dict[str, str]:
    """msgid -> msgstr of the platform's Traditional Chinese catalogue, so tests can check
    every message a person sees has Chinese."""
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as stream:
        return {m.id: m.string for m in read_po(stream) if m.id and m.string}


CHINESE = _chinese()
POLICY = """Licensing Policy Review

1. Background
The Transport Department reviewed the driving licence renewal service in 2025. Renewal by post took on average twelve working days.

2. Proposal
Drivers will renew licences online from 1 March 2027. The renewal fee stays at HK$900 for ten years.
"""


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Licensing Policy Review", level=1)
    document.add_heading("Background", level=2)
    document.add_paragraph("The Transport Department reviewed the driving licence renewal "
                           "service in 2025. Renewal by post took twelve working days.")
    document.add_paragraph("Counter renewal remains available", style="List Bullet")
    document.add_page_break()
    document.add_heading("Fees", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (item, fee) in zip(table.rows, [("Item", "Fee"), ("Full licence", "HK$900"),
                                             ("Learner licence", "HK$548")], strict=True):
        row.cells[0].text, row.cells[1].text = item, fee
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Fees"
    for row in [("Item", "Fee"), ("Full licence", 900), ("Learner licence", 548)]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: list[str], password: str | None = None) -> bytes:
    """A text PDF (reportlab), one string per page; optionally encrypted."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=password)
    for text in pages:
        y = 800
        for line in text.splitlines():
            pdf.drawString(60, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@dataclass
class Team:
    officer: Member
    colleague: Member
    admin: Member
    outsider: Member


@pytest.fixture
def team(factory: Factory) -> Team:
    return Team(factory.member("olive", "hk-td"), factory.member("colin", "hk-td"),
                factory.member("ada", "hk-td", role="admin"),
                factory.member("otto", "hk-imm"))


@pytest.fixture
def echo(platform: Platform) -> Iterator[EchoUpstream]:
    """The platform's gateway pointed at an OpenAI-compatible server the test controls."""
    upstream = EchoUpstream()
    with LiveServer(upstream.app()) as server:
        use_gateway(platform, llm=remote(server.url + "/v1"))
        yield upstream
