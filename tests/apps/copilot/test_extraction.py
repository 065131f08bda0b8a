"""Extraction keeps layout (headings, lists, tables, pages); chunks respect it; bad files are
refused with clear errors before any parser runs on them."""

from __future__ import annotations

import io
import zipfile

import pytest

from aiplus.apps.copilot import chunking, extract, intake
from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import AiplusError, BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.models.text import language_of, sentences
from tests.apps.copilot.conftest import docx_bytes, pdf_bytes, xlsx_bytes

pytestmark = pytest.mark.nodb
SETTINGS = CopilotSettings()


def test_docx_keeps_headings_lists_tables_and_page_breaks():
    blocks = extract.docx(docx_bytes(), SETTINGS).blocks
    kinds = [(b.kind, b.page) for b in blocks]
    assert kinds == [("heading", 1), ("heading", 1), ("paragraph", 1), ("item", 1),
                     ("heading", 2), ("table", 2)]
    assert blocks[-1].text.splitlines()[1] == "Full licence | HK$900"


def test_chunks_never_cross_a_heading_or_page_and_tables_stand_alone():
    pieces = chunking.chunk(extract.docx(docx_bytes(), SETTINGS).blocks, 900)
    assert [(p.page, p.kind, p.heading) for p in pieces] == [
        (1, "text", "Licensing Policy Review › Background"),
        (2, "table", "Licensing Policy Review › Fees")]
    assert "• Counter renewal remains available" in pieces[0].text.splitlines()


def test_long_tables_repeat_their_header_row():
    rows = "\n".join(["Item | Fee"] + [f"Licence type {i} | HK${i}" for i in range(60)])
    parts = chunking.chunk([extract.Block(1, "table", rows)], 200)
    assert len(parts) > 3 and all(p.text.startswith("Item | Fee\n") for p in parts)


def test_pdf_pages_xlsx_sheets_html_and_email_structure():
    pdf = extract.pdf(pdf_bytes(["1. Background", "2. Proposal\nOnline renewal from 2027."]),
                      SETTINGS)
    assert pdf.pages == 2 and pdf.ocr_pages == 0
    assert [(b.page, b.kind) for b in pdf.blocks][:2] == [(1, "heading"), (2, "heading")]
    sheet = extract.xlsx(xlsx_bytes(), SETTINGS).blocks
    assert sheet[0].text == "Fees" and "Learner licence | 548" in sheet[1].text
    html = extract.html(b"<h2>Fees</h2><script>evil()</script><ul><li>Full</li></ul>"
                        b"<table><tr><th>A</th><th>B</th></tr></table>", SETTINGS).blocks
    assert [(b.kind, b.text) for b in html] == [("heading", "Fees"), ("item", "Full"),
                                                ("table", "A | B")]
    mail = (b"Subject: Fee review\nFrom: a@gov.hk\nContent-Type: text/plain\n\n"
            b"Please review the fees.\n")
    blocks = extract.eml(mail, SETTINGS).blocks
    assert blocks[0].kind == "heading" and "Fee review" in blocks[0].text
    assert blocks[1].text == "Please review the fees."


def test_sentences_and_languages_of_both_scripts():
    assert sentences("Mr. Chan met Dr. Lee. They agreed.") == ["Mr. Chan met Dr. Lee.",
                                                               "They agreed."]
    assert sentences("運輸署檢討收費。收費不變！") == ["運輸署檢討收費。", "收費不變！"]
    assert language_of("運輸署檢討駕駛執照續期服務") == "zh-Hant"
    assert language_of("The Transport Department") == "en"
    assert language_of("Транспортный департамент пересмотрел сборы") is None


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 5_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "error"), [
    ("bomb.docx", _bomb(), BadRequest),
    ("x.docx", b"PK\x03\x04 not really a zip", BadRequest),
    ("notes.pdf", b"this is not a pdf", BadRequest),
    ("tool.exe", b"MZ\x90\x00", UnsupportedMediaType),
    ("renamed.txt", b"\x00\x01\x02binary" * 10, BadRequest),
])
def test_dangerous_or_damaged_files_are_refused_before_parsing(name, data, error):
    with pytest.raises(error) as caught:
        kind = intake.kind_of(name, data)
        intake.check_archive(kind, data, SETTINGS)
    assert caught.value.message


def test_encrypted_and_corrupt_pdfs_and_oversized_files_get_clear_messages():
    with pytest.raises(BadRequest, match="encrypted"):
        extract.pdf(pdf_bytes(["secret"], password="pw"), SETTINGS)
    with pytest.raises(BadRequest, match="damaged"):
        extract.pdf(b"%PDF-1.4\n garbage", SETTINGS)
    with pytest.raises(PayloadTooLarge):
        intake.check_size(b"x" * 2048, CopilotSettings(max_upload_bytes=1024))
    with pytest.raises(AiplusError, match="empty"):
        intake.check_size(b"", SETTINGS)


def test_a_scanned_page_is_read_through_the_platform_ocr():
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 44)
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.text((100, 150), "Online renewal of driving licences", fill="black", font=font)
    draw.text((100, 260), "網上續領駕駛執照服務將於明年推出。", fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=150)
    scanned = extract.pdf(buffer.getvalue(), SETTINGS)
    assert scanned.ocr_pages == 1
    text = " ".join(b.text for b in scanned.blocks)
    assert "renewal" in text.lower() and "駕駛執照" in text
