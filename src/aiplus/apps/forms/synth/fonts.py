"""Finding fonts with Traditional Chinese glyphs at run time (Debian ``fonts-noto-cjk``).

``fc-match`` is asked first (it knows the face index inside a ``.ttc`` collection); known
Debian paths are the fallback. Without any such font we stop with a clear message rather than
render boxes where characters should be.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from PIL import ImageFont

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_

FAMILIES = {"sans": "Noto Sans CJK TC", "serif": "Noto Serif CJK TC"}
KNOWN = {
    "sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 3),
    "serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 3),
}


@cache
def cjk_font(family: str = "sans") -> tuple[Path, int]:
    """Path and face index of a Traditional Chinese face of ``family``."""
    if shutil.which("fc-match"):
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", f"{FAMILIES[family]}:lang=zh-tw"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
        path, _, index = found.partition("|")
        if "CJK" in path and Path(path).is_file():
            return Path(path), int(index or 0)
    path, index = KNOWN[family]
    if Path(path).is_file():
        return Path(path), index
    raise Unavailable(N_("No font with Chinese characters was found. Install the Debian package "
                         "fonts-noto-cjk."))


@cache
def font(size: int, family: str = "sans") -> ImageFont.FreeTypeFont:
    path, index = cjk_font(family)
    return ImageFont.truetype(str(path), size, index=index)
