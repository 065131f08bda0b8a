"""The OCR pillar on small rendered images: both engines read English and Traditional
Chinese with per-word boxes and confidences; deskew, perspective correction and the quality
checks behave on pages built to need them; nothing is downloaded."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from aiplus.apps.forms.synth.fonts import font
from aiplus.core.errors import BadRequest
from aiplus.models import ocr
from aiplus.models.ocr import rapid

pytestmark = pytest.mark.nodb
LINES = ("姓名 Name: 陳大文 CHAN Tai Man", "身份證號碼 HKID: A123456(3)")


def text_image(lines: tuple[str, ...] = LINES, size: tuple[int, int] = (900, 260)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((30, 40 + 100 * row), line, fill="black", font=font(34))
    return image


def page_image() -> Image.Image:
    lines = tuple(f"第{n}行 Line {n}: 申請人資料 applicant details" for n in range(12))
    image = Image.new("RGB", (1000, 1300), "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((60, 60 + 100 * row), line, fill="black", font=font(30))
    return image


def test_rapidocr_reads_bilingual_lines_with_word_boxes() -> None:
    page = ocr.recognise(text_image())
    assert page.engine == "rapidocr"
    compact = [line.replace(" ", "") for line in page.text.splitlines()]
    assert compact == [line.replace(" ", "") for line in LINES]
    words = [word.text for word in page.words]
    assert "陳大文" in words and "CHAN" in words
    for word in page.words:
        assert 0 <= word.confidence <= 1
        x0, y0, x1, y1 = word.bbox
        assert 0 <= x0 < x1 <= 900 and 0 <= y0 < y1 <= 260
    chan = next(word for word in page.words if word.text == "CHAN")
    tai = next(word for word in page.words if word.text == "Tai")
    assert chan.bbox[2] <= tai.bbox[0] + 2  # left to right, in reading order


def test_tesseract_is_a_second_engine_with_the_same_shape() -> None:
    page = ocr.recognise(text_image(), engine="tesseract")
    assert page.engine == "tesseract"
    compact = page.text.replace(" ", "")
    assert "CHAN" in compact and "A123456" in compact and "陳大文" in compact
    assert all(0 <= word.confidence <= 1 for word in page.words)


def test_an_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(BadRequest):
        ocr.recognise(text_image(), engine="cloud")


def test_the_engine_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    from rapidocr.utils import download_file

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("RapidOCR tried to download a model")

    monkeypatch.setattr(download_file.DownloadFile, "run", staticmethod(refuse))
    monkeypatch.setattr(rapid, "_engine", None)
    assert rapid.engine() is not None


@pytest.mark.parametrize("degrees", [-5.0, 3.0])
def test_deskew_finds_the_tilt(degrees: float) -> None:
    tilted = page_image().rotate(degrees, expand=True, fillcolor="white")
    prepared = ocr.prepare(tilted)
    assert prepared.skew_degrees == pytest.approx(-degrees, abs=0.4)
    assert not prepared.perspective_corrected


def test_perspective_correction_flattens_a_photographed_page() -> None:
    import cv2

    sheet = np.asarray(page_image())
    source = np.float32([[0, 0], [1000, 0], [1000, 1300], [0, 1300]])
    target = np.float32([[180, 140], [1130, 90], [1170, 1480], [120, 1420]])
    photo = cv2.warpPerspective(sheet, cv2.getPerspectiveTransform(source, target), (1300, 1600),
                                borderValue=(60, 50, 40))
    prepared = ocr.prepare(Image.fromarray(photo))
    assert prepared.perspective_corrected
    width, height = prepared.image.size
    assert 0.7 < width / height < 0.85  # the sheet's 1000:1300, not the photo's frame
    assert abs(prepared.skew_degrees) < 1.0


def test_quality_checks_ask_for_a_better_photo() -> None:
    good = page_image()
    assert ocr.assess(good).acceptable
    blank = ocr.assess(Image.new("RGB", (1000, 1300), "white"))
    assert [issue.code for issue in blank.issues] == ["blank"]
    small = ocr.assess(good.resize((300, 390)))
    assert "resolution" in [issue.code for issue in small.issues]
    blurred = ocr.assess(good.filter(ImageFilter.GaussianBlur(5)))
    assert "blur" in [issue.code for issue in blurred.issues]
    photo = Image.fromarray((np.asarray(good, dtype=np.float32) * 0.75).astype(np.uint8))
    ImageDraw.Draw(photo).ellipse((200, 300, 700, 800), fill="white")
    assert "glare" in [issue.code for issue in ocr.assess(photo).issues]
    assert "skew" in [issue.code for issue in ocr.assess(good, skew_degrees=14.5).issues]
