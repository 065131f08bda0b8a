"""RapidOCR 3.x (PP-OCR detection, orientation and recognition ONNX models run by onnxruntime).

The models ship inside the ``rapidocr`` wheel. We pass their paths explicitly because the
library's default configuration resolves models through a download step; with explicit paths
nothing is ever fetched, and a missing file is a clear error instead of a network call.
The engine is built once per process (loading three ONNX sessions takes about a second) and
guarded by a lock: one session serves one image at a time, which on two cores is also the
fastest schedule.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_
from aiplus.models.ocr.page import OcrLine, OcrPage, OcrWord, reading_order, union

MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
}
DETECTION_SIDE = 960
_engine: Any = None
_lock = threading.Lock()


def threads() -> int:
    """Threads per ONNX session: ``AIPLUS_OCR_THREADS``, else 2 (the platform's target host)."""
    return max(1, int(os.environ.get("AIPLUS_OCR_THREADS", "2")))


def model_folder() -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(N_("The OCR engine {engine} is not installed."), engine="rapidocr")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _build() -> Any:
    from rapidocr import RapidOCR

    folder = model_folder()
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Global.return_word_box": True,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # Detection on the long side capped at DETECTION_SIDE: on an A4 page at 150 dpi this
        # cuts detection time four-fold and still finds 9 pt print; recognition always reads
        # the crops at full resolution.
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECTION_SIDE,
    }
    for stage, filename in MODEL_FILES.items():
        path = folder / filename
        if not path.is_file():
            raise Unavailable(N_("The OCR model file {name} is missing."), name=filename)
        params[f"{stage}.model_path"] = str(path)
    return RapidOCR(params=params)


def engine() -> Any:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = _build()
    return _engine


def _box(points: Any) -> tuple[int, int, int, int]:
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    x0, y0 = array.min(axis=0)
    x1, y1 = array.max(axis=0)
    return (round(float(x0)), round(float(y0)), round(float(x1)), round(float(y1)))


def _words(text: str, chars: Any, fallback: OcrWord) -> tuple[OcrWord, ...]:
    """Group RapidOCR's per-character results into space-separated words.

    The line text keeps the spaces the recogniser predicted; the character list does not,
    so we walk both together. When they disagree (rare: the recogniser merges or splits a
    glyph) the whole line stays one word rather than attaching boxes to the wrong letters.
    """
    tokens = text.split()
    if not chars or sum(len(token) for token in tokens) != len(chars):
        return (fallback,)
    words: list[OcrWord] = []
    position = 0
    for token in tokens:
        group = chars[position : position + len(token)]
        position += len(token)
        words.append(
            OcrWord(
                text=token,
                confidence=float(min(item[1] for item in group)),
                bbox=union(_box(item[2]) for item in group),
            )
        )
    return tuple(words)


def recognise(image: Image.Image, upright: bool = False) -> OcrPage:
    started = time.perf_counter()
    rgb = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # the library expects BGR
    ocr = engine()
    with _lock:
        result = ocr(rgb, use_cls=not upright)
    lines: list[OcrLine] = []
    texts = result.txts or ()
    word_results = result.word_results or ((),) * len(texts)
    # A page with no text comes back with ``scores`` and ``boxes`` set to None, not empty.
    scores, boxes = result.scores or (), result.boxes if result.boxes is not None else ()
    for text, score, points, chars in zip(texts, scores, boxes, word_results):
        text = text.strip()
        if not text:
            continue
        box = _box(points)
        whole = OcrWord(text=text, confidence=float(score), bbox=box)
        lines.append(
            OcrLine(text=text, confidence=float(score), bbox=box, words=_words(text, chars, whole))
        )
    return OcrPage(
        lines=reading_order(lines),
        width=image.width,
        height=image.height,
        engine="rapidocr",
        seconds=time.perf_counter() - started,
    )
