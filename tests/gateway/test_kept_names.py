"""Hong Kong place names survive the conversion to Traditional Chinese; the same character
in ordinary words still converts."""

from __future__ import annotations

from aiplus.gateway.text import to_traditional


def test_place_names_with_chung_are_kept() -> None:
    text = "我住东涌，在鰂魚涌上班，周末去北潭涌行山。"
    assert to_traditional(text) == "我住東涌，在鰂魚涌上班，週末去北潭涌行山。"


def test_the_character_still_converts_outside_the_names() -> None:
    assert to_traditional("海浪汹涌，涌现") == "海浪洶湧，湧現"
    assert to_traditional("鰂魚涌") == "鰂魚涌" and to_traditional("") == ""
