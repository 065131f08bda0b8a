"""What every OCR engine returns: words and lines with pixel boxes and confidences in 0..1.

Engines differ (RapidOCR reports per-character boxes, Tesseract per-word ones); the rest of
the platform sees one shape, in reading order, so a form matcher can switch engines freely.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

BBox = tuple[int, int, int, int]
"""(x0, y0, x1, y1) in pixels of the image the engine read."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float
    bbox: BBox


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float
    bbox: BBox
    words: tuple[OcrWord, ...] = ()

    @property
    def height(self) -> int:
        return self.bbox[3] - self.bbox[1]

    @property
    def centre_y(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass(frozen=True)
class OcrPage:
    lines: tuple[OcrLine, ...]
    width: int
    height: int
    engine: str
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> tuple[OcrWord, ...]:
        return tuple(word for line in self.lines for word in line.words)


def union(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def reading_order(lines: Sequence[OcrLine]) -> tuple[OcrLine, ...]:
    """Top-to-bottom rows, left-to-right within a row.

    Two lines share a row when their vertical centres are closer than half the smaller line's
    height; sorting by y alone would interleave a label and its value that sit side by side
    but a few pixels apart vertically.
    """
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda item: item.centre_y):
        row = rows[-1] if rows else None
        if row is not None:
            anchor = row[0]
            tolerance = min(anchor.height, line.height) / 2
            if abs(line.centre_y - anchor.centre_y) <= tolerance:
                row.append(line)
                continue
        rows.append([line])
    return tuple(line for row in rows for line in sorted(row, key=lambda item: item.bbox[0]))


def is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def join_tokens(tokens: Sequence[str]) -> str:
    """Join word tokens with spaces, except between wide (CJK) characters, which Chinese
    writes without spaces."""
    text = ""
    for token in tokens:
        if text and not (is_cjk(text[-1]) and is_cjk(token[0])):
            text += " "
        text += token
    return text
