"""What an uploaded file is, and whether it is safe to open: size, type, zip bombs.

Everything here runs before any parser touches the file. Uploads over HTTP have already
passed the platform's reader (:mod:`aiplus.platform.uploads`) with the copilot's limits; these
functions keep the same checks for files that arrive otherwise (the CLI, the library's own
callers). A DOCX or XLSX is a zip archive, and a small archive can claim gigabytes once
inflated, so the platform's archive check inspects its directory first, with the copilot's
settings as limits. The type is decided by the file's first bytes and its name together, so
a renamed binary is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import PurePath

from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.core.i18n import N_
from aiplus.platform import uploads
from aiplus.platform.uploads import Limits

KINDS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html",
         ".txt": "txt", ".md": "txt", ".eml": "eml"}
ZIP_KINDS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ACCEPTED = frozenset({"pdf", "docx", "xlsx", "html", "txt", "md", "eml"})
"""The platform reader's kinds for :data:`KINDS` (``.htm`` reads as ``html``)."""
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


def limits_of(settings: CopilotSettings) -> Limits:
    """The platform's upload limits with the copilot's own archive limits (its settings)."""
    return replace(Limits.platform(), max_members=settings.max_zip_members,
                   max_expanded_bytes=settings.max_unzipped_bytes,
                   max_ratio=settings.max_zip_ratio)


def check_archive(kind: str, data: bytes, settings: CopilotSettings) -> None:
    """Refuse a DOCX/XLSX whose parts would inflate past the limits (a zip bomb), or that is
    not the archive its name says: the platform's archive check, then the part the
    copilot's extractor opens."""
    uploads.check_archive(data, kind, limits_of(settings))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if ZIP_KINDS[kind] not in names:
        raise BadRequest(N_("The file is not a valid {kind} document."), kind=kind.upper())
