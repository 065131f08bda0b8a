"""Turning an uploaded file into page images, refusing what could hurt the server.

Accepted: PDF (rendered with pdfium at a bounded resolution), JPEG, PNG, WebP, TIFF and
HEIC/HEIF (phone photos, through pillow-heif). Guards run before any pixel is decoded: the
image header's pixel count (a 100-megapixel photo or a decompression bomb is refused, not
decoded), the PDF's page count and each page's rendered size (a PDF bomb declares huge or
countless pages), and encryption (a password-protected PDF cannot be read and says so).
"""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from aiplus.core.errors import BadRequest, UnsupportedMediaType
from aiplus.core.i18n import N_

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 4
MAX_PIXELS = 40_000_000
"""Largest decoded image accepted (a 48-megapixel phone photo is refused; 12 MP is fine)."""
RENDER_DPI = 150
WORK_SIDE = 2200
"""Long side pages are reduced to before OCR: 150 dpi on A4, more than print needs."""


class UnreadableFile(BadRequest):
    code = "unreadable_file"
    default_message = N_("The file could not be read as an image or PDF. Please upload a "
                         "JPEG, PNG, HEIC or PDF file.")


def _fit(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image).convert("RGB")
    if max(image.size) > WORK_SIDE:
        scale = WORK_SIDE / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.Resampling.LANCZOS)
    return image


def _pdf_pages(data: bytes) -> list[Image.Image]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise BadRequest(N_("This PDF is protected by a password. Please upload it "
                                "without the password.")) from None
        raise UnreadableFile() from None
    try:
        if len(document) == 0:
            raise UnreadableFile()
        if len(document) > MAX_PAGES:
            raise BadRequest(N_("The PDF has {pages} pages; at most {limit} are accepted."),
                             pages=len(document), limit=MAX_PAGES)
        pages = []
        for page in document:
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                raise UnreadableFile()
            scale = min(RENDER_DPI / 72, math.sqrt(MAX_PIXELS / (width * height)),
                        WORK_SIDE / max(width, height))
            pages.append(page.render(scale=scale).to_pil().convert("RGB"))
        return pages
    finally:
        document.close()


def _image(data: bytes) -> Image.Image:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    try:
        with warnings.catch_warnings():  # we check the size ourselves, just below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise BadRequest(N_("The image is too large. Please send a smaller photo.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UnreadableFile() from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise BadRequest(
            N_("The image is {megapixels} megapixels; at most {limit} are accepted. Please "
               "send a smaller photo."),
            megapixels=round(width * height / 1e6), limit=MAX_PIXELS // 1_000_000)
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise UnreadableFile() from None
    return _fit(image)


def pages(data: bytes) -> list[Image.Image]:
    """The page images of an uploaded file, in order."""
    if not data:
        raise BadRequest(N_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise BadRequest(N_("The file is larger than {limit} MB."), limit=MAX_BYTES // 2**20)
    if data.startswith(b"%PDF"):
        return _pdf_pages(data)
    if data[:64].lstrip().startswith((b"<", b"{")):
        raise UnsupportedMediaType(N_("Please upload a JPEG, PNG, HEIC or PDF file."))
    return [_image(data)]
