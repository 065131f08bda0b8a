"""Image quality checks that ask for a better photo instead of guessing at unreadable text.

Each check measures one thing on a reduced grey copy and compares it with a threshold chosen
on rendered forms (see the forms benchmark): sharpness (variance of the Laplacian), glare
(blown-out highlights on a page whose paper is not itself white-clipped), resolution (pixels
on the short side) and skew beyond what deskew corrects. A blank page is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from aiplus.core.i18n import N_
from aiplus.models.ocr.prepare import MAX_SKEW, grey

MIN_SHORT_SIDE = 600
MIN_SHARPNESS = 60.0
MAX_GLARE_SHARE = 0.02
MIN_INK_SHARE = 0.002


@dataclass(frozen=True)
class QualityIssue:
    code: str
    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class QualityReport:
    issues: tuple[QualityIssue, ...]
    metrics: dict[str, float]

    @property
    def acceptable(self) -> bool:
        return not self.issues


def sharpness(small: np.ndarray) -> float:
    return float(cv2.Laplacian(small, cv2.CV_64F).var())


def glare_share(small: np.ndarray) -> float:
    """Share of the frame in blown-out patches that hide what is under them.

    A clipped-white region counts as glare only when it is large and thick, lies inside the frame (the
    lit side of a shadow, or a white scan margin, runs to the edge) and its convex hull holds
    almost no print (paper under glare shows none; a bright box on a form still shows its
    text, which the hull takes in even where the text touches the box's edge).
    """
    clipped = (small >= 250).astype(np.uint8)
    clipped = cv2.morphologyEx(clipped, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(clipped, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    height, width = small.shape
    dark = small < 128
    glare = 0
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if cv2.contourArea(contour) < 0.005 * height * width or min(w, h) < 0.08 * min(height, width):
            continue  # small, or a thin strip (the empty end of a form's box), not a hot spot
        edge = 0.02 * min(height, width)  # a warped photo keeps a sliver of table at its edges
        if x <= edge or y <= edge or x + w >= width - edge or y + h >= height - edge:
            continue
        hull = np.zeros_like(clipped)
        cv2.drawContours(hull, [cv2.convexHull(contour)], -1, 1, thickness=-1)
        inside = hull.astype(bool)
        if dark[inside].mean() < 0.003:
            glare += int(inside.sum())
    return glare / float(height * width)


def ink_share(small: np.ndarray) -> float:
    background = float(np.median(small))
    return float((small < background - 60).mean())


def assess(image: Image.Image, skew_degrees: float = 0.0) -> QualityReport:
    small, _ = grey(image)
    metrics = {
        "short_side": float(min(image.size)),
        "sharpness": sharpness(small),
        "glare_share": glare_share(small),
        "ink_share": ink_share(small),
        "skew_degrees": float(skew_degrees),
    }
    issues: list[QualityIssue] = []
    if metrics["ink_share"] < MIN_INK_SHARE:
        issues.append(QualityIssue("blank", N_("The page looks blank. Please send the filled form.")))
        return QualityReport(tuple(issues), metrics)
    if metrics["short_side"] < MIN_SHORT_SIDE:
        issues.append(
            QualityIssue(
                "resolution",
                N_("The image is too small ({pixels} pixels across). Please send at least {minimum}."),
                {"pixels": int(metrics["short_side"]), "minimum": MIN_SHORT_SIDE},
            )
        )
    if metrics["sharpness"] < MIN_SHARPNESS:
        issues.append(
            QualityIssue("blur", N_("The image is blurred. Please hold the camera still and retake it."))
        )
    if metrics["glare_share"] > MAX_GLARE_SHARE:
        issues.append(
            QualityIssue("glare", N_("Light glare hides part of the page. Please retake it without flash."))
        )
    if abs(skew_degrees) >= MAX_SKEW - 1:
        issues.append(
            QualityIssue("skew", N_("The page is tilted too far. Please photograph it straight on."))
        )
    return QualityReport(tuple(issues), metrics)
