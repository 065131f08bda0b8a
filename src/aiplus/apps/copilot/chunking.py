"""Chunks that respect the document's structure.

A chunk never crosses a heading or a page (so its citation is one page under one heading),
a table is its own chunk (split by rows when long, each part repeating the header row so it
still reads as a table), and a paragraph longer than a chunk is cut between sentences.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aiplus.apps.copilot.extract import Block
from aiplus.models.text import sentences


@dataclass(frozen=True)
class Piece:
    page: int
    heading: str
    kind: str  # text | table
    text: str

    def embedded_text(self) -> str:
        """What the vector represents: the heading gives a passage its subject."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


def _split_long(text: str, limit: int) -> Iterator[str]:
    if len(text) <= limit:  # keeps list items on their own lines
        yield text
        return
    part = ""
    for sentence in sentences(text) or [text]:
        while len(sentence) > limit:  # one sentence longer than a chunk: cut it hard
            if part:
                yield part
                part = ""
            yield sentence[:limit]
            sentence = sentence[limit:]
        if part and len(part) + 1 + len(sentence) > limit:
            yield part
            part = ""
        part = f"{part} {sentence}".strip() if part else sentence
    if part:
        yield part


def _table_parts(text: str, limit: int) -> Iterator[str]:
    rows = text.splitlines()
    header, body = rows[0], rows[1:]
    part = [header]
    for row in body:
        if len(part) > 1 and sum(len(r) + 1 for r in part) + len(row) > limit:
            yield "\n".join(part)
            part = [header]
        part.append(row[:limit])
    yield "\n".join(part)


def chunk(blocks: list[Block], limit: int) -> list[Piece]:
    pieces: list[Piece] = []
    path: dict[int, str] = {}
    buffer: list[str] = []
    page = 1

    def heading() -> str:
        return " › ".join(path[level] for level in sorted(path))

    def flush() -> None:
        if buffer:
            pieces.extend(Piece(page, heading(), "text", part)
                          for part in _split_long("\n".join(buffer), limit))
            buffer.clear()

    for block in blocks:
        if block.page != page:
            flush()
            page = block.page
        if block.kind == "heading":
            flush()
            path = {lvl: text for lvl, text in path.items() if lvl < block.level}
            path[block.level] = block.text[:200]
        elif block.kind == "table":
            flush()
            pieces.extend(Piece(page, heading(), "table", part)
                          for part in _table_parts(block.text, limit))
        else:
            line = f"• {block.text}" if block.kind == "item" else block.text
            if buffer and sum(len(b) + 1 for b in buffer) + len(line) > limit:
                flush()
            buffer.append(line)
    flush()
    return pieces
