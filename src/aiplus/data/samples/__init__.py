"""Real data sets that ship with the platform, for worked examples and benchmarks.

``uci_credit_card.csv.gz`` is the UCI "default of credit card clients" data set (Yeh & Lien,
2009; 30,000 Taiwanese card holders, CC BY 4.0), compressed. It backs the responsible-AI worked
example and the federated-learning benchmark; the SHA-256 of the uncompressed CSV is checked on
load so a corrupted copy is never mistaken for the real data.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from functools import cache
from importlib import resources

import pandas as pd

UCI_CREDIT_SHA256 = "a0f0ab49d6326671d6cd83be5c88dcf18007025fe9a53ecd699119c871176ca1"
UCI_CREDIT_LABEL = "default.payment.next.month"
"""The label column: 1 when the card holder defaulted the next month."""


class SampleDataError(RuntimeError):
    """A shipped sample file is missing or does not match its recorded checksum."""


@cache
def uci_credit_csv_bytes() -> bytes:
    """The uncompressed CSV, verified against :data:`UCI_CREDIT_SHA256`."""
    packed = resources.files(__name__).joinpath("uci_credit_card.csv.gz").read_bytes()
    raw = gzip.decompress(packed)
    if hashlib.sha256(raw).hexdigest() != UCI_CREDIT_SHA256:
        raise SampleDataError("uci_credit_card.csv.gz does not match its recorded SHA-256")
    return raw


def load_uci_credit() -> pd.DataFrame:
    """The 30,000 rows as a data frame (a fresh copy each call, so callers may mutate it)."""
    return pd.read_csv(io.BytesIO(uci_credit_csv_bytes()))
