"""Stream regrouping, placeholder safety and Traditional conversion: pure functions."""

import pytest

from aiplus.gateway.chatml import format_chat
from aiplus.gateway.text import sentences, to_traditional
from aiplus.guard.pii import Vault

pytestmark = pytest.mark.nodb


def test_simplified_chinese_becomes_hong_kong_traditional() -> None:
    assert to_traditional("这个软件的网络设置") == "這個軟件的網絡設置"
    assert to_traditional("plain English stays") == "plain English stays"


def test_placeholder_split_across_deltas_is_restored_whole() -> None:
    vault = Vault(types=["EMAIL"], ner=False)
    masked = vault.anonymize("Write to chan.tai.man@example.hk please")
    assert "chan.tai.man" not in masked and "<EMAIL_1>" in masked
    deltas = ["Send it to <EM", "AIL", "_1", "> today", ". Thanks", "!"]
    pieces = list(sentences(iter(deltas)))
    assert "".join(pieces) == "".join(deltas)
    assert all("<EM" not in p or "<EMAIL_1>" in p for p in pieces)
    assert [vault.restore(p) for p in pieces][0] == "Send it to chan.tai.man@example.hk today."


def test_sentences_cut_at_chinese_punctuation_and_long_runs() -> None:
    assert list(sentences(iter(["你好。", "再見！"]))) == ["你好。", "再見！"]
    long = "a" * 500
    assert [len(p) for p in sentences(iter([long]))] == [240, 240, 20]


def test_chatml_adds_default_system_and_opens_assistant_turn() -> None:
    prompt = format_chat([{"role": "user", "content": "Hi"}])
    assert prompt.startswith("<|im_start|>system\n")
    assert prompt.endswith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
