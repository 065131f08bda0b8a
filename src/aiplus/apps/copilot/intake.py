"""What an uploaded file is, and whether it is safe to open: size, type, zip bombs.

Everything here runs before any parser touches the file: a DOCX or XLSX is a zip archive, and
a small archive can claim gigabytes once inflated, so its directory is inspected first
(total uncompressed size, each part's compression ratio, number of parts). The type is decided
by the file's first bytes and its name together, so a renamed binary is refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.core.i18n import N_

KINDS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
         ".txt": "txt", ".md": "txt", ".eml": "eml"}
ZIP_KINDS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
UNSUPPORTED = N_("This file type is not supported. Upload PDF, DOCX, XLSX, HTML, TXT or EML.")


def kind_of(filename: str, data: bytes) -> str:
    """The document kind, checked against the file's content."""
    suffix = PurePath(filename or "").suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise UnsupportedMediaType(UNSUPPORTED)
    if kind == "pdf" and not data.startswith(b"%PDF-"):
        raise BadRequest(N_("The file is not a valid PDF."))
    if kind in ZIP_KINDS and not data.startswith(b"PK"):
        raise BadRequest(N_("The file is not a valid {kind} document."), kind=kind.upper())
    if kind in ("html", "txt", "eml") and b"\x00" in data[:4096] and not data.startswith(
            (b"\xff\xfe", b"\xfe\xff")):
        raise BadRequest(N_("The file contains binary data, not text."))
    return kind


def check_size(data: bytes, settings: CopilotSettings) -> None:
    if not data:
        raise BadRequest(N_("The file is empty."))
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(limit=settings.max_upload_bytes)


def check_archive(kind: str, data: bytes, settings: CopilotSettings) -> None:
    """Refuse a DOCX/XLSX whose parts would inflate past the limits (a zip bomb), or that is
    not the archive its name says."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadRequest(N_("The file is damaged and cannot be opened.")) from exc
    if len(members) > settings.max_zip_members:
        raise BadRequest(N_("The document has too many parts to be opened safely."))
    total = sum(member.file_size for member in members)
    worst = max((member.file_size / max(member.compress_size, 1) for member in members),
                default=0.0)
    if total > settings.max_unzipped_bytes or worst > settings.max_zip_ratio:
        raise BadRequest(N_("The document expands to far more data than its size suggests "
                            "(a possible zip bomb), so it was not opened."))
    if ZIP_KINDS[kind] not in {member.filename for member in members}:
        raise BadRequest(N_("The file is not a valid {kind} document."), kind=kind.upper())
