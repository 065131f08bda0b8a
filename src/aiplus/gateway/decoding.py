"""Token ids to text without breaking characters, and stop sequences found in that text.

A byte-level BPE model (Qwen's) spells a rare Chinese character as two or three tokens, each
holding part of the character's UTF-8 bytes: 海濱 is 海 + ``e6 bf`` + ``b1``. Turning each token
into text on its own, as llama.cpp's ``token_to_piece`` does, makes every part a U+FFFD. Here
each token gives its raw bytes and one incremental UTF-8 decoder joins them, holding back an
unfinished sequence until the next token completes it; only bytes that are invalid in any
order still come out as U+FFFD, and the start of a character that generation stopped
before finishing is dropped.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

SPM, BPE = 1, 2
"""llama.cpp's vocabulary types (``llama_vocab_type``) whose pieces carry raw bytes."""
NORMAL, BYTE = 4, 32
"""llama.cpp's token attributes (``llama_token_attr``) of pieces that carry raw bytes."""
SPM_SPACE = "\u2581"
SPM_BYTE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


def byte_alphabet() -> dict[str, int]:
    """The character byte-level BPE writes for each byte, inverted.

    Printable Latin-1 bytes stand for themselves; the other 68 (controls, space, soft hyphen,
    ...) are written as the characters from U+0100 upwards, in byte order, so a vocabulary
    entry is always printable text."""
    printable = [*range(0x21, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    table = {chr(value): value for value in printable}
    others = (value for value in range(256) if value not in table.values())
    table.update({chr(0x100 + index): value for index, value in enumerate(others)})
    return table


class TokenBytes:
    """The exact bytes of each token of one llama.cpp vocabulary, worked out once per token.

    Ordinary pieces of byte-level BPE and SentencePiece vocabularies are spelt from their raw
    bytes. Every other token (control tokens such as ``<|im_end|>``, user-defined and unused
    ones) is whole text, and llama.cpp's ``token_to_piece`` renders it exactly."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.kind = int(vocab.vocab_type)
        self._alphabet = byte_alphabet()
        self._known: dict[int, bytes] = {}

    def __call__(self, token: int) -> bytes:
        known = self._known.get(token)
        if known is None:
            known = self._known[token] = self._spell(token)
        return known

    def _spell(self, token: int) -> bytes:
        attributes, text = self.vocab.get_attr(token), str(self.vocab.get_text(token))
        if attributes & NORMAL and self.kind == BPE and set(text) <= self._alphabet.keys():
            return bytes(self._alphabet[char] for char in text)
        if attributes & NORMAL and self.kind == SPM:
            return text.replace(SPM_SPACE, " ").encode()
        if attributes & BYTE and self.kind == SPM and (match := SPM_BYTE.fullmatch(text)):
            return bytes([int(match.group(1), 16)])
        return str(self.vocab.token_to_piece(token, special=True)).encode()


class TokenText:
    """Token ids in, text out: bytes of a character split over tokens wait for the rest. A
    character still unfinished when generation ends (cut by max_tokens) is never shown."""

    def __init__(self, spell: TokenBytes) -> None:
        self.spell = spell
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def push(self, token: int) -> str:
        return str(self._decoder.decode(self.spell(token)))


class StopScanner:
    """Stops text at the earliest stop sequence, even one that arrives split over pieces.

    Text is released as soon as no stop sequence can start inside it: only the last
    ``longest - 1`` characters are ever held back."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = [stop for stop in stops if stop]
        self.keep = max((len(stop) for stop in self.stops), default=1) - 1
        self.held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """The part of ``held + text`` that is safe to release now; sets :attr:`stopped`."""
        held = self.held + text
        found = [index for stop in self.stops if (index := held.find(stop)) != -1]
        if found:
            self.held, self.stopped = "", True
            return held[:min(found)]
        cut = max(len(held) - self.keep, 0)
        self.held = held[cut:]
        return held[:cut]

    def flush(self) -> str:
        held, self.held = self.held, ""
        return held
