"""Turning token bytes into text, stop sequences and the loop guard, without a model: text
split into "tokens" at every possible byte boundary must come out whole."""

from __future__ import annotations

from hypothesis import given, strategies as st

from aiplus.gateway.decoding import BPE, StopScanner, TokenBytes, TokenText, byte_alphabet
from aiplus.gateway.loops import LoopGuard

TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | \
    st.sampled_from(["海濱長廊", "龘", "鰂魚涌的𠝹刀", "HK$80 一個"])


class SplitBytes:
    """Stands in for a vocabulary: token ``i`` is the ``i``-th chunk of some bytes."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __call__(self, token: int) -> bytes:
        return self.chunks[token]


def cut(data: bytes, points: list[int]) -> list[bytes]:
    bounds = [0, *sorted(set(points)), len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def decode(chunks: list[bytes]) -> str:
    text = TokenText(SplitBytes(chunks))  # type: ignore[arg-type]
    return "".join(text.push(i) for i in range(len(chunks)))


@given(TEXTS, st.data())
def test_characters_split_anywhere_come_out_whole(value: str, data: st.DataObject) -> None:
    encoded = value.encode()
    points = data.draw(st.lists(st.integers(0, len(encoded)), max_size=12))
    assert decode(cut(encoded, points)) == value


def test_every_single_split_point_of_a_rare_character() -> None:
    encoded = "海濱龘".encode()
    for point in range(len(encoded) + 1):
        assert decode(cut(encoded, [point])) == "海濱龘"
    assert decode([bytes([b]) for b in encoded]) == "海濱龘"


def test_bytes_that_never_finish_a_character_are_marked_or_left_out_at_the_end() -> None:
    assert decode([b"ok \xe6\xbf", b" end"]) == "ok \ufffd end"  # invalid: marked
    assert decode([b"cut at max_tokens \xe6\xbf"]) == "cut at max_tokens "  # never finished


def test_the_byte_alphabet_covers_every_byte_once() -> None:
    table = byte_alphabet()
    assert sorted(table.values()) == list(range(256))
    assert table["\u0120"] == 0x20 and table["A"] == 0x41  # "Ġ" is the space


class FakeVocab:
    """A byte-level BPE vocabulary of three entries, spelt as GGUF files spell them."""

    vocab_type = BPE
    entries = {0: ("æµ·", 4), 1: ("æ¿", 4), 2: ("±", 4), 3: ("<|im_end|>", 8)}

    def get_text(self, token: int) -> str:
        return self.entries[token][0]

    def get_attr(self, token: int) -> int:
        return self.entries[token][1]

    def token_to_piece(self, token: int, special: bool = False) -> str:
        return self.entries[token][0] if special else ""


def test_a_bpe_vocabulary_gives_raw_bytes_and_control_tokens_as_text() -> None:
    spell = TokenBytes(FakeVocab())
    assert b"".join(spell(t) for t in (0, 1, 2)) == "海濱".encode()
    assert spell(3) == b"<|im_end|>"


@given(TEXTS, st.lists(st.integers(1, 5), min_size=1, max_size=20))
def test_a_stop_sequence_is_found_however_the_text_is_cut(before: str, sizes: list[int]) -> None:
    stop = "<|im_end|>"
    whole = before.replace("<", "") + stop + "never shown"
    pieces, start = [], 0
    while start < len(whole):
        size = sizes[len(pieces) % len(sizes)]
        pieces.append(whole[start:start + size])
        start += size
    scanner, released = StopScanner([stop, "\n\nUser:"]), ""
    for piece in pieces:
        released += scanner.feed(piece)
        if scanner.stopped:
            break
    assert scanner.stopped and released == before.replace("<", "")


def test_text_without_a_stop_is_released_in_full() -> None:
    scanner = StopScanner(["###"])
    released = scanner.feed("a#") + scanner.feed("b##") + scanner.flush()
    assert released == "a#b##" and not scanner.stopped


def feed(guard: LoopGuard, tokens: list[int]) -> int | None:
    """The number of tokens the guard let through before it called a loop."""
    for index, token in enumerate(tokens, 1):
        if guard.push(token):
            return index
    return None


def test_a_short_cycle_is_stopped_after_min_tokens() -> None:
    cycle = [11, 12, 11, 13]  # 色情、暴力、
    assert feed(LoopGuard(), [1, 2, 3] + cycle * 40) == 3 + 32
    assert feed(LoopGuard(), [7] * 100) == 32


def test_a_long_block_must_repeat_min_repeats_times() -> None:
    sentence = list(range(100, 140))  # 40 tokens
    guard = LoopGuard()
    assert feed(guard, sentence * 2) is None
    assert feed(guard, sentence) is not None and guard.period == 40


def test_prose_that_reuses_words_is_not_a_loop() -> None:
    words = [5, 6, 7, 8, 9, 10, 11, 12]
    text = [w for i in range(60) for w in (words[i % 8], 100 + i)]  # a word, then a new one
    assert feed(LoopGuard(), text) is None
    assert feed(LoopGuard(max_period=0), [7] * 100) is None
