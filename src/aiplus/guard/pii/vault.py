"""Reversible anonymisation: the model sees ``<HKID_1>``, the user gets the real value back.

One :class:`Vault` lives for one conversation (or one request): every value it hides gets a
placeholder ``<TYPE_n>``, the same value always the same placeholder (so the model can still
tell that two mentions are one person), numbered per type in order of first appearance.
:meth:`Vault.restore` puts the values back in one pass over the model's output; placeholders
the vault never issued are left as they are.

Forged placeholders: text the user sends that already looks like a placeholder (``<HKID_1>``)
is itself vaulted as ``<ESCAPED_n>``, so it can neither collide with a real placeholder nor
make :meth:`restore` reveal a value; restoring gives the user's literal text back.

Streaming: :meth:`Vault.restore_stream` returns a :class:`StreamRestorer` that restores chunk
by chunk, holding back a chunk's tail while it could still be the start of a placeholder
(``"... call <PHO"`` waits for ``"NE_1> now"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiplus.guard.pii.analyzer import DEFAULT_MIN_SCORE, analyze
from aiplus.guard.pii.entities import Entity
from aiplus.guard.pii.text import fold

PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*?)_([0-9]{1,6})>")
ESCAPED = "ESCAPED"
# the tail of a chunk that may be the beginning of a placeholder still being streamed
_PARTIAL = re.compile(r"<[A-Z_0-9]{0,40}$")


class Vault:
    """Placeholders for the personal data in one conversation, and the way back."""

    def __init__(self, types: Iterable[str] | None = None, *, ner: bool = True,
                 min_score: float = DEFAULT_MIN_SCORE) -> None:
        self.types = None if types is None else tuple(types)
        self.ner = ner
        self.min_score = min_score
        self._values: dict[str, str] = {}  # placeholder -> original text
        self._placeholders: dict[tuple[str, str], str] = {}  # (type, folded value) -> placeholder
        self._counts: dict[str, int] = {}

    @property
    def entities(self) -> dict[str, str]:
        """Placeholder -> the original value it hides (a copy)."""
        return dict(self._values)

    def _placeholder(self, entity_type: str, value: str) -> str:
        key = (entity_type, fold(value))
        if key not in self._placeholders:
            self._counts[entity_type] = self._counts.get(entity_type, 0) + 1
            placeholder = f"<{entity_type}_{self._counts[entity_type]}>"
            self._placeholders[key] = placeholder
            self._values[placeholder] = value
        return self._placeholders[key]

    def anonymize(self, text: str, entities: Iterable[Entity] | None = None) -> str:
        """``text`` with each personal value (and each forged placeholder) replaced;
        ``entities`` are findings already made on ``text`` (analysed here when None)."""
        spans = [(m.start(), m.end(), ESCAPED) for m in PLACEHOLDER.finditer(text)]
        if entities is None:
            entities = analyze(text, self.types, min_score=self.min_score, ner=self.ner)
        for entity in entities:
            if not any(s < entity.end and entity.start < e for s, e, _ in spans):
                spans.append((entity.start, entity.end, entity.type))
        out, cursor = [], 0
        for start, end, entity_type in sorted(spans):
            out.append(text[cursor:start])
            out.append(self._placeholder(entity_type, text[start:end]))
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """Real values back in place of this vault's placeholders (one pass, so a restored
        value that looks like a placeholder is never expanded again)."""
        return PLACEHOLDER.sub(lambda m: self._values.get(m.group(0), m.group(0)), text)

    def restore_stream(self) -> StreamRestorer:
        """An incremental :meth:`restore` for streamed model output."""
        return StreamRestorer(self)


class StreamRestorer:
    """``feed(chunk) -> restored text so far``; ``flush()`` at the end of the stream."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        partial = _PARTIAL.search(text)
        cut = partial.start() if partial else len(text)
        self._pending = text[cut:]
        return self._vault.restore(text[:cut])

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._vault.restore(text)
