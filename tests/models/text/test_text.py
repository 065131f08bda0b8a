"""The shared text primitives: language, Cantonese normalisation, segmentation, tokens and
sentences (pure functions over shipped dictionaries: no database)."""

from __future__ import annotations

import pytest

from aiplus.models.text import (
    detect_language,
    language_of,
    matching_form,
    segment,
    sentences,
    to_simplified,
    to_written_chinese,
    tokens,
)

pytestmark = pytest.mark.nodb


def test_detect_language_handles_english_chinese_and_code_mixing():
    assert detect_language("How do I renew my identity card?") == "en"
    assert detect_language("點樣續領身份證？") == "zh-Hant"
    assert detect_language("renew 身份證要幾錢") == "zh-Hant"
    assert detect_language("HKID 123") == "en"
    assert detect_language("") == "en"


def test_traditional_chinese_is_segmented_into_words_not_characters():
    tokens = segment("點樣續領身份證？")
    assert "身份证" in tokens and "续领" in tokens  # jieba words after OpenCC t2s
    assert "？" not in tokens
    assert to_simplified("護照續期") == "护照续期"
    # Cantonese is matched in the written register: 唔見咗 becomes 不見了, one jieba word
    cantonese = segment("我張身份證唔見咗")
    assert "不见" in cantonese and "咗" not in cantonese and "了" not in cantonese
    assert segment("Renewing licences") == segment("renewed licence") == ["renew", "licenc"]
    assert segment("taxes fees") == ["tax", "fee"]


def test_cantonese_is_mapped_to_written_chinese_without_breaking_written_words():
    assert to_written_chinese("點樣續領身份證呀？我張卡唔見咗") == "怎樣續領身份證呀？我張卡不見了"
    assert to_written_chinese("係咪要畀錢？唔使㗎") == "是不是要給錢？不用"
    # longer written words shield their characters from the colloquial rules
    assert to_written_chinese("我哋嘅關係") == "我們的關係"
    assert to_written_chinese("勞資仲裁") == "勞資仲裁"
    assert to_written_chinese("Renew my passport") == "Renew my passport"
    # the embedding model sees written, Simplified Chinese; English is untouched
    assert matching_form("邊度續領護照？") == "哪里续领护照？"
    assert matching_form("Where do I renew?") == "Where do I renew?"


def test_language_of_declines_other_scripts_where_detect_language_falls_back():
    assert language_of("Как продлить паспорт?") is None
    assert detect_language("Как продлить паспорт?") == "en"
    assert language_of("") is None


def test_plain_tokens_keep_function_words_that_search_tokens_drop():
    plain = tokens("How do I renew my 身份證？")
    assert plain[:5] == ["how", "do", "i", "renew", "my"] and "身份证" in plain
    assert segment("How do I renew my 身份證？")[0] == "renew"
    # Cantonese words from HKCanCor stay whole in both forms
    assert "唔见" in tokens("我張身份證唔見咗")


def test_sentences_split_both_languages():
    assert sentences("Apply online. Then wait!\n申請需時。請耐心等候！") == [
        "Apply online.", "Then wait!", "申請需時。", "請耐心等候！"]
