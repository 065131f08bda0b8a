"""Evasion-aware text views and instruction-override signals for prompt-injection detection.

Attackers hide instructions from classifiers: zero-width characters between letters,
look-alike Cyrillic/Greek letters, full-width forms, s p a c e d - o u t words, or a payload
encoded in base64, hex or rot13. :func:`views` undoes each trick and yields every readable
rendering of a text, so the classifier and the phrase rules below see what the model would
see. :func:`heuristic_score` is the rule-only signal, used inside the injection scanner and,
alone, as the benchmark's baseline.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\u180e]")
# Latin look-alikes that NFKC leaves alone (Cyrillic, Greek); NFKC folds full-width forms.
HOMOGLYPHS = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ɡ": "g", "ո": "n", "ν": "v", "ο": "o", "α": "a", "ε": "e",
    "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "А": "A", "В": "B", "Е": "E", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "Ι": "I", "Ο": "O",
})
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                      "$": "s"})
SPACED = re.compile(r"(?:\b[A-Za-z][\s._\-*|]{1,3}){3,}[A-Za-z]\b")
BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[\s:]?){8,}(?![0-9A-Fa-f])")
ROT13_HINT = re.compile(r"\brot-?13\b|\bcaesar\b|凱撒|恺撒", re.IGNORECASE)

# Instruction-override and extraction phrasing; each rule is one attack idea, in English,
# written Chinese and Cantonese. They are deliberately about *overriding the model*, so
# "kill a process" or "report someone smoking" never match.
_RULES: tuple[tuple[str, float, str], ...] = (
    ("override", 0.9, r"\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.\n]{0,40}?"
                      r"\b(?:previous|prior|above|earlier|all|your|the|system|original)\b[^.\n]{0,30}?"
                      r"\b(?:instructions?|prompts?|rules?|directives?|guidelines?|guardrails?"
                      r"|polic(?:y|ies)|restrictions?|programming|constraints?)"),
    ("override", 0.85, r"(?:忽略|無視|无视|忘記|忘记|唔好理|唔理|咪理|拋開|抛开|跳過|跳过|繞過|绕过|覆蓋|覆盖|推翻|"
                       r"作廢|作废|放低|放棄|放弃)"
                       r".{0,12}(?:之前|以上|上面|先前|原本|原有|所有|全部|你嘅|你的|系統|系统)?"
                       r".{0,8}(?:指示|指令|規則|规则|設定|设定|限制|提示|守則|政策|約束|约束)"),
    ("extraction", 0.85, r"\b(?:reveal|show|print|repeat|output|display|leak|tell me|give me|"
                         r"what (?:is|are|was|were))\b[^.\n]{0,30}?\b(?:system|initial|hidden|"
                         r"original|secret|developer)\b[^.\n]{0,15}?\b(?:prompt|instructions?|"
                         r"message|rules)"),
    ("extraction", 0.85, r"(?:顯示|显示|講|讲|話我知|告訴我|告诉我|輸出|输出|重複|重复|列出|印出|洩露|泄露|"
                         r"打出|寫出|写出|貼出|贴出|俾我睇)"
                         r".{0,10}(?:系統|系统|隱藏|隐藏|原始|最初|內部|内部|秘密|開發者|开发者)"
                         r".{0,6}(?:提示|指示|指令|設定|设定|prompt)"),
    ("persona", 0.8, r"\b(?:you are now|from now on,? you|act as|pretend (?:to be|you are)|"
                     r"roleplay as)\b[^.\n]{0,40}?\b(?:DAN|unrestricted|unfiltered|uncensored|"
                     r"jailbr[eo]ak|no (?:rules|restrictions|limits|filters)|without (?:any )?"
                     r"(?:rules|restrictions|limits|filters|ethics))"),
    ("persona", 0.8, r"(?:由而家開始|從現在開始|从现在开始|你而家係|你現在是|你现在是|扮演|假裝|假装|扮)"
                     r".{0,20}(?:冇任何限制|沒有任何限制|没有任何限制|無限制|无限制|不受限制|唔受限制|"
                     r"冇限制|冇規則|沒有規則|没有规则|不受約束|唔使守|DAN|越獄|越狱)"),
    ("jailbreak", 0.8, r"\b(?:developer mode|jailbreak mode|god mode|DAN mode|do anything now)\b"),
    ("jailbreak", 0.8, r"(?:開發者模式|开发者模式|越獄模式|越狱模式|上帝模式|解除(?:所有)?(?:安全)?限制|"
                       r"關閉|关闭|停用|解除|關咗|閂咗|熄咗|熄|閂|拎走|移除|停止).{0,6}(?:安全|過濾|过滤|審查|审查|道德)(?:機制|机制|限制|規則|规则|設定|设定|過濾器)?"),
    ("refusal_suppression", 0.7, r"\b(?:never|do not|don't|must not)\s+(?:refuse|decline|say no)\b|"
                                 r"\bwithout (?:any )?(?:warnings?|disclaimers?|refus\w+)\b"),
    ("refusal_suppression", 0.7, r"(?:唔准|不准|不可以|唔可以|不要|唔好)(?:拒絕|拒绝|推辭|講唔得|說不)"),
    ("delimiter", 0.75, r"(?:^|\n)\s*(?:#{2,}|={3,}|-{3,})?\s*(?:system|assistant)\s*[:>\]]|"
                        r"<\|?(?:im_start|system|endoftext)\|?>|\[/?(?:INST|SYS)\]"),
)
_COMPILED = tuple((kind, weight, re.compile(pattern, re.IGNORECASE | re.DOTALL))
                  for kind, weight, pattern in _RULES)


@dataclass(frozen=True)
class View:
    """One rendering of the text and the trick undone to reach it (``plain`` for none)."""

    text: str
    trick: str

    @property
    def decoded(self) -> bool:
        return self.trick in ("base64", "hex")


def normalise(text: str) -> str:
    """Zero-width characters out, full-width and look-alike letters folded to plain ones."""
    return unicodedata.normalize("NFKC", ZERO_WIDTH.sub("", text)).translate(HOMOGLYPHS)


def _despace(text: str) -> str:
    return SPACED.sub(lambda m: re.sub(r"[\s._\-*|]", "", m.group(0)), text)


def _printable(raw: bytes) -> str | None:
    """Decoded bytes as text when they read as words, else None (random data decodes too)."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(c.isalpha() or c.isspace() for c in decoded)
    return decoded if len(decoded) >= 6 and letters / len(decoded) > 0.8 else None


def _decoded(text: str) -> Iterator[tuple[str, str, str]]:
    """``(chunk, decoded, trick)`` for every base64 or hex chunk that decodes to words."""
    for match in BASE64.finditer(text):
        chunk = match.group(0)
        try:
            raw = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        if (decoded := _printable(raw)) is not None:
            yield chunk, decoded, "base64"
    for match in HEX.finditer(text):
        try:
            raw = bytes.fromhex(re.sub(r"[\s:]", "", match.group(0)))
        except ValueError:
            continue
        if (decoded := _printable(raw)) is not None:
            yield match.group(0), decoded, "hex"


def views(text: str) -> list[View]:
    """Every distinct reading of ``text``: as sent, normalised, de-spaced, de-leeted, decoded."""
    plain = normalise(text)
    found = [View(text, "plain")]
    if plain != text:
        found.append(View(plain, "obfuscation"))
    despaced = _despace(plain)
    if despaced != plain:
        found.append(View(despaced, "spacing"))
    deleeted = despaced.translate(LEET)
    if deleeted != despaced and re.search(r"[A-Za-z]\d|\d[A-Za-z]|[@$]", despaced):
        found.append(View(deleeted, "leetspeak"))
    for chunk, decoded, trick in _decoded(plain):
        found.append(View(plain.replace(chunk, " " + decoded + " "), trick))
    rotated = codecs.encode(plain, "rot13")
    # rot13 of ordinary text is gibberish: keep it when it reads as an attack or is announced.
    if ROT13_HINT.search(plain) or rule_hits(rotated):
        found.append(View(rotated, "rot13"))
    unique: dict[str, View] = {}
    for view in found:
        unique.setdefault(view.text, view)
    return list(unique.values())


def rule_hits(text: str) -> list[tuple[str, float]]:
    """The (kind, weight) of every phrase rule that matches ``text``."""
    return [(kind, weight) for kind, weight, pattern in _COMPILED if pattern.search(text)]


def zero_width_count(text: str) -> int:
    return len(ZERO_WIDTH.findall(text))


def heuristic_score(text: str) -> tuple[float, list[tuple[str, str, float]]]:
    """Rule-only risk in [0, 1] and its reasons ``(trick, kind, weight)`` over every view.

    Hidden instructions weigh more than visible ones: nobody base64-encodes "ignore your
    rules" by accident. Heavy zero-width use inside words is itself a signal.
    """
    reasons: list[tuple[str, str, float]] = []
    for view in views(text):
        for kind, weight in rule_hits(view.text):
            boost = 0.1 if view.trick != "plain" else 0.0
            reasons.append((view.trick, kind, min(1.0, weight + boost)))
    hidden = zero_width_count(text)
    if hidden >= 3:
        reasons.append(("obfuscation", "zero_width", min(0.9, 0.5 + 0.05 * hidden)))
    score = max((weight for *_, weight in reasons), default=0.0)
    if len({kind for _, kind, _ in reasons}) >= 2:
        score = min(1.0, score + 0.05)
    return score, reasons
