"""Text with its layout out of each supported format: headings, paragraphs, list items and
tables, each tagged with the page it sits on, so chunks can respect structure and answers
can cite page numbers.

PDF pages with a text layer are read with pypdfium2; a page without one (a scan) is rendered
and read by the platform's OCR (:mod:`aiplus.models.ocr`). DOCX keeps Word's heading styles,
list styles, tables and explicit page breaks. XLSX gives one "page" per sheet. HTML keeps its
h1-h6, lists and tables. Email (.eml) gives its subject, sender and date as a heading and its
body; attachments are not read.
"""

from __future__ import annotations

import email
import io
import re
from dataclasses import dataclass
from email import policy
from html.parser import HTMLParser

from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import BadRequest, Unavailable
from aiplus.core.i18n import N_

DAMAGED = N_("The file is damaged and cannot be opened.")
MIN_TEXT_LAYER_CHARS = 20  # a page with an image and less text than this is a scan
OCR_SCALE = 2.0  # 144 dpi: small print stays legible to the recogniser
_NUMBERED_HEADING = re.compile(r"^(\d+(\.\d+)*\.?|[A-Z]\.|第[一二三四五六七八九十百]+[章節部分])\s+\S")


@dataclass(frozen=True)
class Block:
    """One structural unit: ``kind`` is heading, paragraph, item or table."""

    page: int
    kind: str
    text: str
    level: int = 0


@dataclass
class Extraction:
    blocks: list[Block]
    pages: int
    ocr_pages: int = 0


def _looks_like_heading(line: str) -> bool:
    """A short line that does not end a sentence and is numbered or in title/upper case."""
    if len(line) > 90 or line.endswith((".", "。", ",", "，", ";", "；", ":")):
        return False
    if _NUMBERED_HEADING.match(line):
        return True
    words = line.split()
    return 0 < len(words) <= 10 and (line.isupper() or all(w[0].isupper() for w in words
                                                           if w[0].isalpha()))


def _lines_to_blocks(page: int, text: str) -> list[Block]:
    """Blocks of a page of plain lines (PDF text layer, OCR): headings by shape, list items
    by their bullet, other lines joined into paragraphs at blank lines."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(page, "paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line[:1] in "•●▪-–*·" and len(line) > 2:
            flush()
            blocks.append(Block(page, "item", line[1:].strip()))
        elif _looks_like_heading(line) and len(line.split()) <= 12:
            flush()
            blocks.append(Block(page, "heading", line, 1))
        else:
            paragraph.append(line)
    flush()
    return blocks


def _ocr_page(image: object) -> str:
    """The text of a scanned page, through the platform's OCR pillar."""
    try:
        from aiplus.models.ocr import recognise
    except ImportError as exc:
        raise Unavailable(N_("This PDF is scanned and the OCR service is not installed, so "
                             "its text cannot be read.")) from exc
    return recognise(image).text  # type: ignore[arg-type]


def _has_image(page: object) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
               for obj in page.get_objects(max_depth=2))  # type: ignore[attr-defined]


def pdf(data: bytes, settings: CopilotSettings) -> Extraction:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise BadRequest(N_("The PDF is encrypted. Remove the password and upload it "
                                "again.")) from exc
        raise BadRequest(DAMAGED) from exc
    try:
        count = len(document)
        if count > settings.max_pages:
            raise BadRequest(N_("The document has {pages} pages; the limit is {limit}."),
                             pages=count, limit=settings.max_pages)
        blocks: list[Block] = []
        scanned = 0
        for index in range(count):
            page = document[index]
            text = page.get_textpage().get_text_range().replace("\r", "")
            if len(text.strip()) < MIN_TEXT_LAYER_CHARS and _has_image(page):
                image = page.render(scale=OCR_SCALE).to_pil()
                text = _ocr_page(image)
                scanned += 1
            blocks.extend(_lines_to_blocks(index + 1, text))
        return Extraction(blocks, count, scanned)
    finally:
        document.close()


def docx(data: bytes, settings: CopilotSettings) -> Extraction:
    import docx as python_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = python_docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for a broken part
        raise BadRequest(DAMAGED) from exc
    blocks: list[Block] = []
    page = 1
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows]
            if any(r.strip(" |") for r in rows):
                blocks.append(Block(page, "table", "\n".join(rows)))
            continue
        assert isinstance(item, Paragraph)
        text = item.text.strip()
        style = (item.style.name if item.style is not None else "") or ""
        if text:
            if style.startswith("Heading") or style == "Title":
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
                blocks.append(Block(page, "heading", text, level))
            elif "List" in style:
                blocks.append(Block(page, "item", text))
            else:
                blocks.append(Block(page, "paragraph", text))
        xml = item._p.xml
        page += xml.count('w:type="page"') + xml.count("<w:lastRenderedPageBreak")
        if page > settings.max_pages:
            raise BadRequest(N_("The document has {pages} pages; the limit is {limit}."),
                             pages=page, limit=settings.max_pages)
    return Extraction(blocks, page)


def xlsx(data: bytes, settings: CopilotSettings) -> Extraction:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken part
        raise BadRequest(DAMAGED) from exc
    blocks: list[Block] = []
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            blocks.append(Block(number, "heading", str(sheet.title), 1))
            rows: list[str] = []
            for row in sheet.iter_rows(max_row=settings.max_sheet_rows, values_only=True):
                cells = ["" if value is None else str(value) for value in row]
                if any(cells):
                    rows.append(" | ".join(cells).rstrip(" |"))
            if rows:
                blocks.append(Block(number, "table", "\n".join(rows)))
        return Extraction(blocks, max(1, len(workbook.worksheets)))
    finally:
        workbook.close()


class _HtmlBlocks(HTMLParser):
    """Headings, paragraphs, list items and tables of an HTML page; script and style skipped."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    BLOCK = frozenset({"p", "div", "section", "article", "br", "blockquote", "pre", "li", "dd",
                       "dt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.kind = "paragraph"
        self.level = 0
        self.skipping = 0
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(Block(1, self.kind, text, self.level))
        self.text, self.kind, self.level = [], "paragraph", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "table":
            self._flush()
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.kind, self.level = "heading", int(tag[1])
        elif tag in self.BLOCK and self.rows is None:
            self._flush()
            if tag == "li":
                self.kind = "item"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("td", "th") and self.rows is not None and self.cell is not None:
            if self.rows:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.rows is not None:
            lines = [" | ".join(row) for row in self.rows if any(row)]
            if lines:
                self.blocks.append(Block(1, "table", "\n".join(lines)))
            self.rows = None
        elif (re.fullmatch(r"h[1-6]", tag) or tag in self.BLOCK) and self.rows is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.rows is None:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            else ("utf-16",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadRequest(N_("The text is not in UTF-8 or UTF-16 encoding."))


def html_text(markup: str) -> list[Block]:
    parser = _HtmlBlocks()
    parser.feed(markup)
    parser.close()
    return parser.blocks


def html(data: bytes, settings: CopilotSettings) -> Extraction:
    return Extraction(html_text(_decode(data)), 1)


def txt(data: bytes, settings: CopilotSettings) -> Extraction:
    blocks: list[Block] = []
    for block in _lines_to_blocks(1, _decode(data)):
        if block.kind in ("paragraph", "heading") and block.text.startswith("#"):
            level = len(block.text) - len(block.text.lstrip("#"))
            blocks.append(Block(1, "heading", block.text.lstrip("# "), level))
        else:
            blocks.append(block)
    return Extraction(blocks, 1)


def eml(data: bytes, settings: CopilotSettings) -> Extraction:
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception as exc:  # the email parser is lenient; anything it raises means damage
        raise BadRequest(DAMAGED) from exc
    header = " · ".join(str(message.get(name, "")) for name in ("Subject", "From", "Date")
                        if message.get(name))
    blocks = [Block(1, "heading", header, 1)] if header else []
    body = message.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
    if body is not None:
        content = body.get_content()
        if body.get_content_type() == "text/html":
            blocks.extend(html_text(content))
        else:
            blocks.extend(_lines_to_blocks(1, content))
    return Extraction(blocks, 1)


EXTRACTORS = {"pdf": pdf, "docx": docx, "xlsx": xlsx, "html": html, "txt": txt, "eml": eml}


def extract(kind: str, data: bytes, settings: CopilotSettings) -> Extraction:
    return EXTRACTORS[kind](data, settings)
