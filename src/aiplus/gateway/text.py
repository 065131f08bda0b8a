"""Text the model writes, made ready for the caller: Traditional Chinese, and streams cut
where a vault placeholder or an OpenCC phrase cannot be split.

The local model writes Chinese that mixes Simplified characters; OpenCC's ``s2hk`` turns it
into Hong Kong Traditional (phrases as well as characters, e.g. 软件 -> 軟件). A stream is
released sentence by sentence, so a placeholder such as ``<HKID_1>`` split across two
tokens is restored whole, phrases convert correctly, and output guardrails judge a whole
sentence before anyone sees it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from aiplus.core.datafiles import load_yaml

SENTENCE_END = re.compile(r"[。！？!?；;\n]|[.:](?=\s)")
OPEN_PLACEHOLDER = re.compile(r"<[A-Za-z0-9_]{0,40}$")
MAX_HELD = 240


@functools.cache
def _converter() -> tuple[Any, threading.Lock]:
    import opencc

    return opencc.OpenCC("s2hk"), threading.Lock()


class KeptNames(BaseModel):
    keep: list[str]


@functools.cache
def _kept_names() -> re.Pattern[str]:
    """Hong Kong names s2hk would change (東涌 -> 東湧), longest first, as one split pattern."""
    names = load_yaml("aiplus.gateway", "kept_names.yaml", KeptNames).keep
    return re.compile("(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")")


def to_traditional(text: str) -> str:
    """``text`` in Hong Kong Traditional Chinese, the names in ``kept_names.yaml`` as written."""
    if not text:
        return text
    converter, lock = _converter()
    pieces = _kept_names().split(text)  # text, name, text, name, ..., text
    with lock:  # one OpenCC handle, not proven thread-safe
        return "".join(piece if index % 2 or not piece else str(converter.convert(piece))
                       for index, piece in enumerate(pieces))


def sentences(deltas: Iterator[str]) -> Iterator[str]:
    """Regroup streamed deltas into sentence-sized pieces (or ``MAX_HELD`` characters), never
    ending a piece inside an unfinished ``<PLACEHOLDER_n>``."""
    held = ""
    for delta in deltas:
        held += delta
        while True:
            cut = _cut(held)
            if cut is None:
                break
            yield held[:cut]
            held = held[cut:]
    if held:
        yield held


def _cut(held: str) -> int | None:
    match = SENTENCE_END.search(held)
    cut = match.end() if match else (MAX_HELD if len(held) >= MAX_HELD else None)
    if cut is None:
        return None
    opened = OPEN_PLACEHOLDER.search(held[:cut])
    if opened:
        closing = held.find(">", opened.start())
        if closing == -1:
            return None if len(held) - opened.start() <= 42 else cut
        cut = closing + 1
    return cut
