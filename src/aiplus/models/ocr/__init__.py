"""Offline OCR for English and Traditional Chinese, with page preparation and quality checks.

``recognise(image, engine)`` returns an :class:`OcrPage` whatever the engine: ``rapidocr``
(default; PP-OCR ONNX models shipped in the ``rapidocr`` wheel, run by onnxruntime) or
``tesseract`` (``chi_tra+eng``). ``prepare`` straightens a photographed or skewed page and
``assess`` says whether a photo is good enough to read or should be retaken.
"""

from __future__ import annotations

from PIL import Image

from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_
from aiplus.models.ocr import rapid, tesseract
from aiplus.models.ocr.page import BBox, OcrLine, OcrPage, OcrWord
from aiplus.models.ocr.prepare import PreparedPage, prepare
from aiplus.models.ocr.quality import QualityIssue, QualityReport, assess

ENGINES = {"rapidocr": rapid.recognise, "tesseract": tesseract.recognise}


def recognise(image: Image.Image, engine: str = "rapidocr", *, upright: bool = False) -> OcrPage:
    """Read ``image``. ``upright=True`` says the page has been straightened (see
    :func:`prepare`), so no text line needs turning over: RapidOCR then skips its per-line
    180° classifier, which is faster and cannot turn a blurred upright line upside down."""
    try:
        run = ENGINES[engine]
    except KeyError:
        raise BadRequest(
            N_("Unknown OCR engine {engine}. Choose one of: {choices}."),
            engine=engine,
            choices=", ".join(ENGINES),
        ) from None
    return run(image, upright=upright)


__all__ = [
    "ENGINES",
    "BBox",
    "OcrLine",
    "OcrPage",
    "OcrWord",
    "PreparedPage",
    "QualityIssue",
    "QualityReport",
    "assess",
    "prepare",
    "recognise",
]
