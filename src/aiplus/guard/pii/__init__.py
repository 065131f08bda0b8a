"""Hong Kong PII detection: HKID (with check digit), HK phones, emails, cards, passports, and
column-hinted names and addresses. Deterministic: no models, no downloads.

>>> from aiplus.guard.pii import analyze
>>> [(e.type, e.text) for e in analyze("我的電話是91234567，身份證 A123456(3)")]
[('PHONE', '91234567'), ('HKID', 'A123456(3)')]
"""

from aiplus.guard.pii.analyzer import analyze, merge
from aiplus.guard.pii.entities import ALL_TYPES, TYPE_LABELS, Entity, EntityType
from aiplus.guard.pii.hints import column_hints
from aiplus.guard.pii.masking import mask
from aiplus.guard.pii.recognisers import Recogniser, default_recognisers

__all__ = ["ALL_TYPES", "TYPE_LABELS", "Entity", "EntityType", "Recogniser", "analyze",
           "column_hints", "default_recognisers", "mask", "merge"]
