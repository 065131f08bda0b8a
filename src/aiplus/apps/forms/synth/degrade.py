"""Degradations that make a clean render look scanned or photographed.

``TUNED`` are the kinds the issue names (noise, blur, JPEG, skew, perspective, shadows, low
DPI), used for the "degraded" sets. ``HELD_OUT`` are different corruptions the extractor was
never tuned on (motion blur, faded ink, salt-and-pepper specks, uneven lighting with a
coloured background, heavier combinations): the benchmark reports them separately, as the
nearest stand-in for photos nobody has seen yet.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

Degradation = Callable[[Image.Image, random.Random], Image.Image]


def _array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.float32)


def _image(array: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))


def noise(image: Image.Image, rng: random.Random) -> Image.Image:
    generator = np.random.default_rng(rng.randrange(2**32))
    array = _array(image)
    return _image(array + generator.normal(0, rng.uniform(8, 18), array.shape))


def blur(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))


def jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=rng.randrange(25, 50))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def skew(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 6.0)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")


def _on_background(image: Image.Image, rng: random.Random, colour: tuple[int, int, int],
                   jitter: float) -> Image.Image:
    """The page photographed on a table: a random quadrilateral inside a larger dark frame."""
    width, height = image.size
    margin_x, margin_y = int(width * 0.12), int(height * 0.08)
    canvas_w, canvas_h = width + 2 * margin_x, height + 2 * margin_y
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    target = np.float32([
        [margin_x + rng.uniform(-jitter, jitter) * width, margin_y + rng.uniform(-jitter, jitter) * height]
        for _ in range(4)
    ]) + np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(np.asarray(image.convert("RGB")), matrix, (canvas_w, canvas_h),
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=colour)
    return Image.fromarray(warped)


def perspective(image: Image.Image, rng: random.Random) -> Image.Image:
    shade = rng.randrange(40, 90)
    return _on_background(image, rng, (shade, shade - 10, shade - 20), 0.05)


def shadow(image: Image.Image, rng: random.Random) -> Image.Image:
    """A soft diagonal shadow, as from a hand or phone over the page."""
    width, height = image.size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    distance = (xs - width / 2) * np.cos(angle) + (ys - height / 2) * np.sin(angle)
    edge = rng.uniform(-0.2, 0.2) * max(width, height)
    softness = 0.08 * max(width, height)
    darkness = rng.uniform(0.25, 0.45)
    factor = 1 - darkness / (1 + np.exp(-(distance - edge) / softness))
    return _image(_array(image) * factor[:, :, None])


def low_dpi(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scanned at about 100 dpi instead of 150."""
    factor = rng.uniform(0.6, 0.75)
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.BILINEAR)


def motion_blur(image: Image.Image, rng: random.Random) -> Image.Image:
    length = rng.randrange(3, 6)
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    kernel /= max(kernel.sum(), 1e-6)
    return Image.fromarray(cv2.filter2D(np.asarray(image.convert("RGB")), -1, kernel))


def faded(image: Image.Image, rng: random.Random) -> Image.Image:
    """A worn toner cartridge: low contrast, grey ink."""
    return ImageEnhance.Contrast(image).enhance(rng.uniform(0.35, 0.55))


def specks(image: Image.Image, rng: random.Random) -> Image.Image:
    generator = np.random.default_rng(rng.randrange(2**32))
    array = np.asarray(image.convert("RGB")).copy()
    mask = generator.random(array.shape[:2])
    share = rng.uniform(0.002, 0.006)
    array[mask < share / 2] = 0
    array[mask > 1 - share / 2] = 255
    return Image.fromarray(array)


def uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    """A desk lamp to one side on a wooden table: radial fall-off and a warm background."""
    photo = _on_background(image, rng, (rng.randrange(110, 150), rng.randrange(70, 100), 40), 0.03)
    width, height = photo.size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = rng.uniform(0, width), rng.uniform(0, height)
    radius = np.hypot(xs - cx, ys - cy) / np.hypot(width, height)
    factor = 1.05 - rng.uniform(0.3, 0.5) * radius
    return _image(_array(photo) * factor[:, :, None])


TUNED: dict[str, Degradation] = {
    "noise": noise, "blur": blur, "jpeg": jpeg, "skew": skew,
    "perspective": perspective, "shadow": shadow, "low_dpi": low_dpi,
}
HELD_OUT: dict[str, Degradation] = {
    "motion_blur": motion_blur, "faded": faded, "specks": specks, "uneven_light": uneven_light,
}
ORDER = ("low_dpi", "faded", "skew", "perspective", "uneven_light", "shadow", "blur",
         "motion_blur", "noise", "specks", "jpeg")
"""Physical order: the page is printed, placed, lit and photographed, then compressed."""


def apply(image: Image.Image, names: list[str], rng: random.Random) -> Image.Image:
    kinds = {**TUNED, **HELD_OUT}
    for name in sorted(names, key=ORDER.index):
        image = kinds[name](image, rng)
    return image


def pick(rng: random.Random, held_out: bool = False) -> list[str]:
    """Two or three degradations per page; perspective and skew never together (a photo is
    either tilted on the table or in the scanner)."""
    if held_out:
        names = rng.sample(sorted(HELD_OUT), 2) + rng.sample(["jpeg", "noise", "skew"], 1)
    else:
        names = rng.sample(sorted(TUNED), rng.choice((2, 3)))
        if "perspective" in names and "skew" in names:
            names.remove("skew")
    if "perspective" in names and "uneven_light" in names:
        names.remove("perspective")
    return names
