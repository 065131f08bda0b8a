"""Intent to protect or to understand, as opposed to intent to break: context that keeps
harmless questions with security words from being blocked.

"What does the developer mode setting of this app do?" and "How do I protect my own data?"
contain the words of a jailbreak or of a data grab, but they ask *about* something, for the
asker's own sake, and give the model no order. :func:`protective` says when a text reads that
way: a question (or "how to" request) about a setting, a protection or the asker's own data,
with no order to the model and no question about the model's own prompt, rules or
configuration. The injection scanner discounts its phrase rules by half and its classifier by
a third for such a text (chosen on the evaluation set's dev split, where no attack lost its
block), so an attack that merely ends in a question mark still meets a confident classifier.
"""

from __future__ import annotations

import re

# A question, or a request for how-to information.
_QUESTION = re.compile(
    r"\?\s*$|？\s*$|^\s*(?:how|what|why|when|where|which|is|are|can|could|should|does|do|"
    r"explain|tell me (?:how|what|why)|請問|如何|怎樣|怎麼|點樣|點解|甚麼是|什麼是|咩係)\b",
    re.IGNORECASE)
# Asking about a feature or setting, about protecting something, or about one's own data.
_ABOUT = re.compile(
    r"\b(?:(?:on|in|of|for) (?:my|this|the|an?) (?:phone|device|app|browser|computer|laptop|"
    r"android|iphone)|setting|settings|option|feature|toggle|menu|"
    r"protect\w*|secur\w*|safe\w*|safeguard\w*|privacy|prevent\w*|avoid\w*|stop\w*|report\w*|"
    r"my own|myself|mine|my (?:account|data|details|records?|address|phone|password|card)|"
    r"work|works|mean|means|used for|do)\b|"
    r"設定|設置|功能|選項|手機|裝置|保護|保障|防止|預防|安全|私隱|隱私|舉報|自己|本人|我的資料|"
    r"有咩用|有什麼用|有甚麼用|是甚麼|是什麼|點用|怎樣用|如何使用",
    re.IGNORECASE)
# Orders to the model about its own behaviour: these make any question an attack's wrapper.
_ORDER = re.compile(
    r"\b(?:you (?:are|must|will|should|have to|can now)|from now on|act as|pretend|"
    r"enter|enable|activate|switch (?:to|into)|turn on)\b[^?.\n]{0,30}\b(?:mode|persona|"
    r"restrictions?|rules|filters?|instructions?)\b|"
    r"\b(?:ignore|disregard|forget|bypass|override)\b[^?.\n]{0,40}\b(?:instructions?|rules|"
    r"prompt|polic(?:y|ies)|guidelines?|restrictions?|filters?|safety|guardrails?)\b|"
    r"\byour (?:own )?(?:system )?(?:prompt|instructions?|guidelines?|rules|configuration|"
    r"programming|training|filters?|restrictions?)\b|"
    r"\byou were\b[^?.\n]{0,15}\b(?:instructed|told|trained|programmed)\b|"
    r"\b(?:instances|versions?) of you\b|"
    r"(?:你|妳)(?:現在|而家|必須|要|已經)|"
    r"(?:你|妳)(?:的|嘅|個)(?:系統)?(?:提示|指示|指令|設定|規則|守則)|"
    r"進入.{0,6}模式|開啟.{0,6}模式|啟動.{0,6}模式|"
    r"切換.{0,6}模式|開咗.{0,6}模式|忽略|無視|唔好理",
    re.IGNORECASE)


def protective(text: str) -> bool:
    """True when ``text`` asks about a setting, a protection or the asker's own data, and
    gives the model no order about its rules, mode or persona."""
    sample = text.strip()[:600]
    return (bool(_QUESTION.search(sample)) and bool(_ABOUT.search(sample))
            and not _ORDER.search(sample))
