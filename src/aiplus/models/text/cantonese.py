"""Colloquial Cantonese to standard written Chinese, for matching only (never shown to anyone).

Hong Kong FAQs are written in standard written Chinese (「怎樣」「是否」「沒有」), citizens type
as they speak (「點樣」「係咪」「冇」). Neither jieba (a Mandarin dictionary) nor multilingual E5
(trained mostly on written Chinese) knows the colloquial forms well, so queries and FAQ texts
are both mapped onto the written register before segmentation and embedding. pycantonese
offers segmentation and Jyutping but no Cantonese-to-written mapping, hence this table.

The table holds only grammatical words and very common colloquial verbs, nouns and time words
of Hong Kong Cantonese, i.e. the register difference, never subject words of any knowledge
base. Replacement is longest-match-first in one pass, so a longer entry shields its characters:
written words that contain a colloquial character map to themselves (「關係」 keeps its 係,
「仲裁」 its 仲) and multi-character forms win over their parts (「唔使」 -> 「不用」, not 「不使」).
"""

from __future__ import annotations

import re
from functools import cache

# colloquial -> written; grouped by kind for review. Entries mapping to themselves protect
# written words from the shorter rules.
_TABLE: dict[str, str] = {
    # negation, copula, existence
    "唔係": "不是", "係咪": "是不是", "係唔係": "是不是", "係": "是", "唔": "不",
    "冇": "沒有", "未有": "還沒有", "唔使": "不用", "使唔使": "需不需要", "唔該": "請",
    # protected written words containing 係 / 仲 / 返 / 邊 / 啱 / 咪
    "關係": "關係", "聯係": "聯係", "係數": "係數", "仲裁": "仲裁", "仲介": "仲介",
    "返回": "返回", "往返": "往返", "旁邊": "旁邊", "身邊": "身邊", "周邊": "周邊",
    "邊境": "邊境", "邊界": "邊界", "咪高峰": "咪高峰",
    # pronouns and demonstratives
    "佢哋": "他們", "我哋": "我們", "你哋": "你們", "哋": "們", "佢": "他",
    "呢個": "這個", "呢啲": "這些", "呢度": "這裡", "呢排": "最近", "嗰個": "那個",
    "嗰啲": "那些", "嗰度": "那裡", "嗰": "那", "啲": "些", "咁樣": "這樣", "噉樣": "這樣",
    "咁": "這麼", "噉": "這樣",
    # question words
    "點樣": "怎樣", "點解": "為什麼", "點先": "怎樣才", "點算": "怎麼辦", "點辦": "怎麼辦",
    "點搞": "怎麼辦", "乜嘢": "什麼", "咩嘢": "什麼", "乜": "什麼", "咩": "什麼",
    "邊個": "誰", "邊度": "哪裡", "邊到": "哪裡", "邊間": "哪間", "邊位": "哪位",
    "幾多錢": "多少錢", "幾錢": "多少錢", "幾多": "多少", "幾耐": "多久", "幾時": "什麼時候",
    "得唔得": "可不可以", "可唔可以": "可不可以", "有冇": "有沒有",
    # aspect markers and particles (particles carry tone, not content: dropped)
    "咗": "了", "嘅": "的", "喺": "在", "嚟": "來", "晒": "完",
    "㗎": "", "喎": "", "囉": "", "啩": "", "吖": "", "嘞": "", "喇": "", "嘛": "",
    # common verbs
    "畀": "給", "俾": "給", "攞": "拿", "睇": "看", "搵": "找", "揾": "找", "諗": "想",
    "返工": "上班", "放工": "下班", "返": "回", "揸車": "開車", "泊車": "停車",
    "唔見": "不見", "冇咗": "沒有了",
    # nouns and time words
    "嘢": "東西", "屋企": "家", "細路仔": "小孩", "細路": "小孩", "老豆": "父親",
    "老竇": "父親", "阿爸": "父親", "阿媽": "母親", "而家": "現在", "依家": "現在",
    "琴日": "昨天", "尋日": "昨天", "聽日": "明天", "今日": "今天", "成日": "經常",
    "啱啱": "剛剛", "啱唔啱": "對不對", "啱": "對", "仲": "還", "落雨": "下雨", "打風": "颱風",
}


@cache
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in sorted(_TABLE, key=len, reverse=True)))


def to_written_chinese(text: str) -> str:
    """``text`` with colloquial Cantonese forms replaced by standard written Chinese ones;
    English and written Chinese pass through unchanged."""
    return _pattern().sub(lambda m: _TABLE[m.group(0)], text)
