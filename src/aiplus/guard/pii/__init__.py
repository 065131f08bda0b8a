"""Hong Kong PII detection: HKID (with check digit), HK phones, emails, cards, passports, bank
accounts, column-hinted names and addresses, and - with ``ner=True`` - names and addresses in
prose (rules for Chinese names and HK addresses, a packaged spaCy model for English names).
:class:`Vault` anonymises reversibly (``<HKID_1>``) for calls to language models.

>>> from aiplus.guard.pii import analyze
>>> [(e.type, e.text) for e in analyze("我的電話是91234567，身份證 A123456(3)")]
[('PHONE', '91234567'), ('HKID', 'A123456(3)')]
"""

from aiplus.guard.pii.analyzer import analyze, merge
from aiplus.guard.pii.entities import ALL_TYPES, TYPE_LABELS, Entity, EntityType
from aiplus.guard.pii.hints import column_hints
from aiplus.guard.pii.masking import mask
from aiplus.guard.pii.recognisers import Recogniser, default_recognisers
from aiplus.guard.pii.vault import StreamRestorer, Vault

__all__ = ["ALL_TYPES", "TYPE_LABELS", "Entity", "EntityType", "Recogniser", "analyze",
           "StreamRestorer", "Vault", "column_hints", "default_recognisers", "mask", "merge"]
