"""Page preparation before OCR: perspective correction for phone photos, then deskew.

Both work on a reduced grey copy (long side ``WORK_SIDE``) and apply the found transform to
the full image, so preparation costs tens of milliseconds rather than a second per page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

WORK_SIDE = 1000
MAX_SKEW = 15.0
"""Degrees searched either way; a page tilted further is a retake, not a correction."""


@dataclass(frozen=True)
class PreparedPage:
    image: Image.Image
    skew_degrees: float
    perspective_corrected: bool


def grey(image: Image.Image, side: int = WORK_SIDE) -> tuple[np.ndarray, float]:
    """A grey copy no longer than ``side`` pixels, and the factor back to full size."""
    scale = min(1.0, side / max(image.size))
    small = image.convert("L")
    if scale < 1.0:
        small = small.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.BILINEAR,
        )
    return np.asarray(small), 1.0 / scale


def _order(corners: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums = corners.sum(axis=1)
    diffs = np.diff(corners, axis=1).ravel()
    return np.array(
        [
            corners[np.argmin(sums)],
            corners[np.argmin(diffs)],
            corners[np.argmax(sums)],
            corners[np.argmax(diffs)],
        ],
        dtype=np.float32,
    )


def page_corners(image: Image.Image) -> np.ndarray | None:
    """The four corners of a light sheet photographed on a darker background, if one is seen.

    The sheet must cover between 25% and 97% of the frame (smaller is probably not the page,
    larger means the photo is already the page, a scan, and warping would only crop it), have
    all four corners clear of the frame's edge and stand out from a darker surround: a scan
    with a shadow across it also splits into a light and a dark part, but its light part runs
    to the edge and the "surround" is shaded paper, not a table.
    """
    small, factor = grey(image)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    largest = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(largest) / float(small.shape[0] * small.shape[1])
    if not 0.25 <= share <= 0.97:
        return None
    outline = cv2.approxPolyDP(largest, 0.02 * cv2.arcLength(largest, True), True)
    if len(outline) != 4:
        return None
    height, width = small.shape
    corners = outline.reshape(4, 2)
    margin = 0.01 * min(height, width)
    if (corners.min(axis=0) < margin).any() or (corners[:, 0] > width - margin).any() or (
        corners[:, 1] > height - margin
    ).any():
        return None
    inside = np.zeros_like(mask)
    cv2.fillConvexPoly(inside, corners.astype(np.int32), 1)
    if small[inside == 0].mean() > small[inside == 1].mean() - 60:
        return None
    return _order(outline.reshape(4, 2).astype(np.float32) * factor)


def correct_perspective(image: Image.Image) -> tuple[Image.Image, bool]:
    corners = page_corners(image)
    if corners is None:
        return image, False
    top_left, top_right, bottom_right, bottom_left = corners
    width = int(max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left)))
    height = int(max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(
        np.asarray(image.convert("RGB")), matrix, (width, height), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return Image.fromarray(warped), True


def _profile_score(ink: np.ndarray, degrees: float) -> float:
    """Sharpness of the horizontal projection after rotating by ``degrees``: text lines
    aligned with the rows give tall peaks and empty gaps, so squared row-to-row changes peak."""
    height, width = ink.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST)
    rows = rotated.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def estimate_skew(image: Image.Image) -> float:
    """Degrees to rotate the page (counter-clockwise positive) so text lines are level:
    a coarse 1° search over ±``MAX_SKEW`` refined to 0.1°."""
    small, _ = grey(image, 800)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 0.001:
        return 0.0
    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.5, 1.0), key=lambda a: _profile_score(ink, a))
    fine = np.arange(coarse - 1.0, coarse + 1.05, 0.1)
    return round(float(max(fine, key=lambda a: _profile_score(ink, a))), 2)


def deskew(image: Image.Image, degrees: float) -> Image.Image:
    if abs(degrees) < 0.15:
        return image
    return image.convert("RGB").rotate(
        degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255)
    )


def prepare(image: Image.Image) -> PreparedPage:
    flat, corrected = correct_perspective(image)
    degrees = estimate_skew(flat)
    return PreparedPage(
        image=deskew(flat, degrees), skew_degrees=degrees, perspective_corrected=corrected
    )
