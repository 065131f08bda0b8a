"""The real local model writes whole Chinese characters, stops a loop, and leaves ordinary
answers as they were. Like the other live tests, these run on the model the packages ship
(assembled on first use), never on a stand-in."""

from __future__ import annotations

import re

import openai
import pytest

from aiplus.gateway import gateway_of
from aiplus.gateway.backends import LOCAL_MODEL, BackendRequest, LocalLlama, Usage
from aiplus.gateway.chatml import END, format_chat
from aiplus.gateway.settings import LlmSettings
from aiplus.guard.contract import CallContext
from aiplus.platform.services import Platform
from tests.gateway.conftest import make_key
from tests.live_server import LiveServer

REPLACEMENT = "\ufffd"
CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
COPY = [{"role": "system", "content": "你是香港政府的助理，只用繁體中文回答。"},
        {"role": "user", "content": "請把這句話原文照抄一次，不要加任何解釋："
                                    "「我們在鰂魚涌海濱公園散步，看見一個龘字。」"}]
GROUNDED = [
    {"role": "system", "content": "Answer only from the passage, in one or two sentences."},
    {"role": "user", "content": "Passage: Take your dog to an AFCD animal management centre "
                                "for a rabies vaccination and a licence. The licence costs "
                                "HK$80 and lasts three years.\n\nQuestion: How much is a dog "
                                "licence and how long does it last?"}]


@pytest.fixture(scope="module")
def local() -> LocalLlama:
    return LocalLlama(LlmSettings())


def split_characters(local: LocalLlama, text: str) -> set[str]:
    """The characters of ``text`` that the model spells with more than one token."""
    model = local.model()
    return {char for char in set(CJK.findall(text))
            if len(model.tokenize(char, add_special=False)) > 1}


def generate(backend: LocalLlama, messages: list[dict[str, str]], max_tokens: int) -> str:
    request = BackendRequest(model=LOCAL_MODEL, max_tokens=max_tokens, temperature=0.0,
                             messages=messages)
    return "".join(backend.stream(request, Usage()))


def test_every_token_is_spelt_as_llama_cpp_spells_it(local: LocalLlama) -> None:
    """Token bytes are exact: read alone they give llama.cpp's own piece, U+FFFD included
    where a token holds only part of a character."""
    model = local.model()
    partial = 0
    for token in range(model.vocab.n_vocab):
        piece, spelt = model.vocab.token_to_piece(token, special=True), model.spell(token)
        assert spelt.decode(errors="replace") == piece, token
        partial += REPLACEMENT in piece
    assert partial > 1000  # byte-level BPE: many tokens hold part of a character


def test_rare_characters_are_whole_through_the_openai_client(platform: Platform) -> None:
    key = make_key(platform)
    with LiveServer(platform) as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key=key, max_retries=0,
                               timeout=300)
        whole = client.chat.completions.create(model=LOCAL_MODEL, messages=COPY,
                                               max_tokens=48).choices[0].message.content
        chunks = client.chat.completions.create(model=LOCAL_MODEL, messages=COPY,
                                                max_tokens=48, stream=True)
        streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    for answer in (whole, streamed):
        assert REPLACEMENT not in answer, answer
    assert whole == streamed
    # The test means something only if the answer holds characters split over tokens.
    assert split_characters(LocalLlama(LlmSettings()), whole) & {"濱", "龘", "鰂"}, whole


def test_a_looping_answer_is_stopped_and_flagged(platform: Platform) -> None:
    messages = [{"role": "user", "content": "For my report template, draw a separator line "
                                            "made of 400 '=' signs."}]
    result = gateway_of(platform).chat(messages, max_tokens=200, context=CallContext(app="test"))
    assert result.finish_reason == "repetition", result
    assert result.completion_tokens < 100 and "=" * 20 in result.text


def test_an_ordinary_grounded_answer_is_unchanged(local: LocalLlama) -> None:
    """The loop guard changes nothing until it fires, and the new decoding loop answers
    exactly as cyllama's own call does on text of whole tokens."""
    from cyllama import GenerationConfig

    guarded = generate(local, GROUNDED, 48)
    unguarded = generate(LocalLlama(LlmSettings(loop_max_period=0)), GROUNDED, 48)
    llm = local.model().llm
    config = GenerationConfig(max_tokens=48, temperature=0.0, n_ctx=4096, stop_sequences=[END])
    with local.model().lock:
        binding = "".join(llm(format_chat(GROUNDED), config=config, stream=True))
    assert "80" in guarded and guarded == unguarded == binding


def test_stop_sequences_and_usage_still_hold(local: LocalLlama) -> None:
    messages = [{"role": "user", "content": "用兩句繁體中文介紹維多利亞港。"}]
    request = BackendRequest(model=LOCAL_MODEL, max_tokens=60, temperature=0.0,
                             messages=messages, stop=["。"])
    usage = Usage()
    text = "".join(local.stream(request, usage))
    assert text and "。" not in text and REPLACEMENT not in text
    assert usage.prompt_tokens == len(local.model().tokenize(format_chat(messages)))
    assert 0 < usage.completion_tokens < 60 and usage.finish_reason == "stop"

