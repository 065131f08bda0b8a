"""Bad uploads get clear errors before any expensive decoding: corrupt files, empty files,
100-megapixel images, PDF bombs (page count, page size), password-protected PDFs."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter

from aiplus.apps.forms import intake
from aiplus.core.errors import BadRequest, UnsupportedMediaType

pytestmark = pytest.mark.nodb


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size in its header but holds (almost) no pixels: a bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def pdf(pages: int = 1, size: tuple[float, float] = (595, 842), password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=size[0], height=size[1])
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_images_and_pdfs_become_pages() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, "JPEG")
    assert [page.size for page in intake.pages(buffer.getvalue())] == [(800, 600)]
    rendered = intake.pages(pdf(pages=2))
    assert len(rendered) == 2 and rendered[0].width == 1240  # A4 at 150 dpi


@pytest.mark.parametrize(("data", "error"), [
    (b"", BadRequest),
    (b"\xff\xd8\xff\xe0 this is not really a jpeg", intake.UnreadableFile),
    (b"<html><body>form</body></html>", UnsupportedMediaType),
    (png_header(10_000, 10_000), BadRequest),
    (b"%PDF-1.7 truncated", intake.UnreadableFile),
])
def test_bad_files_are_refused_clearly(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        intake.pages(data)
    assert "Traceback" not in str(caught.value)


def test_a_100_megapixel_image_is_refused_before_decoding() -> None:
    with pytest.raises(BadRequest) as caught:
        intake.pages(png_header(12_000, 9_000))
    assert caught.value.params == {"megapixels": 108, "limit": 40}


def test_pdf_bombs_are_bounded() -> None:
    with pytest.raises(BadRequest) as caught:
        intake.pages(pdf(pages=50))
    assert caught.value.params["pages"] == 50
    huge = intake.pages(pdf(size=(14_400, 14_400)))  # the largest page PDF allows, 5 m square
    assert max(huge[0].size) <= intake.WORK_SIDE


def test_a_password_protected_pdf_says_so() -> None:
    with pytest.raises(BadRequest) as caught:
        intake.pages(pdf(password="secret"))
    assert "password" in caught.value.message
