"""Tesseract 5 (Debian ``tesseract-ocr`` with ``chi_tra`` and ``eng`` data) through pytesseract.

The second engine: slower and a little less accurate on our forms than RapidOCR, but an
independent model family, so an office can cross-check or fall back without new weights.
Tesseract uses OpenMP; ``OMP_THREAD_LIMIT`` caps it to the same thread budget as RapidOCR.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import defaultdict

from PIL import Image

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_
from aiplus.models.ocr.page import OcrLine, OcrPage, OcrWord, join_tokens, reading_order, union
from aiplus.models.ocr.rapid import threads

LANGUAGES = "chi_tra+eng"


def recognise(image: Image.Image, upright: bool = False) -> OcrPage:
    """``upright`` is accepted so the engines are interchangeable; Tesseract reads each line in
    the page's own orientation whatever it is told."""
    import pytesseract

    if shutil.which("tesseract") is None:
        raise Unavailable(N_("The OCR engine {engine} is not installed."), engine="tesseract")
    os.environ.setdefault("OMP_THREAD_LIMIT", str(threads()))
    started = time.perf_counter()
    data = pytesseract.image_to_data(
        image.convert("RGB"), lang=LANGUAGES, output_type=pytesseract.Output.DICT
    )
    grouped: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        text = text.strip()
        if not text or confidence < 0:
            continue
        left, top = data["left"][index], data["top"][index]
        box = (left, top, left + data["width"][index], top + data["height"][index])
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        grouped[key].append(OcrWord(text=text, confidence=confidence / 100, bbox=box))
    lines = [
        OcrLine(
            text=join_tokens([word.text for word in words]),
            confidence=min(word.confidence for word in words),
            bbox=union(word.bbox for word in words),
            words=tuple(words),
        )
        for words in grouped.values()
    ]
    return OcrPage(
        lines=reading_order(lines),
        width=image.width,
        height=image.height,
        engine="tesseract",
        seconds=time.perf_counter() - started,
    )
