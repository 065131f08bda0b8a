"""A bank and an insurer: align shared customers privately, then train across their columns.

The split of the UCI columns mirrors who would hold what: the bank keeps limits, bills and
payments; the insurer keeps repayment-delay history and household facts. Each party holds a
different, overlapping subset of customers; only the intersection (found by PSI) trains.
Figures: vertical AUC beside the bank alone and beside the same updates in the clear.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.federated.data import ID_COLUMN, Schema, compress
from aiplus.federated.metrics import auc, ks
from aiplus.federated.vertical import logistic, psi

BANK_COLUMNS = ("LIMIT_BAL", "AGE", *(f"BILL_AMT{i}" for i in range(1, 7)),
                *(f"PAY_AMT{i}" for i in range(1, 7)))
INSURER_COLUMNS = ("EDUCATION", "MARRIAGE", "PAY_0", *(f"PAY_{i}" for i in range(2, 7)))
TEST_SHARE = 0.25


def _standardised(frame: pd.DataFrame, columns: tuple[str, ...], label: str) -> np.ndarray:
    """Each party scales its own columns over its own rows: nothing to share for that."""
    values = compress(frame, Schema(columns, label))
    return (values - values.mean(axis=0)) / np.maximum(values.std(axis=0), 1e-9)


def holdings(frame: pd.DataFrame, overlap: float, seed: int) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame]:
    """The bank's and insurer's customer lists: ``overlap`` of all customers in both."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(frame))
    shared = int(len(frame) * overlap)
    rest = order[shared:]
    half = len(rest) // 2
    bank = frame.iloc[np.concatenate([order[:shared], rest[:half]])]
    insurer = frame.iloc[np.concatenate([order[:shared], rest[half:]])]
    return bank, insurer


def run_vertical(frame: pd.DataFrame, label: str, overlap: float = 0.6,
                 settings: logistic.Settings | None = None) -> dict[str, object]:
    settings = settings or logistic.Settings()
    missing = [c for c in (*BANK_COLUMNS, *INSURER_COLUMNS, label, ID_COLUMN)
               if c not in frame.columns]
    if missing:
        raise ValidationFailed(N_("The data lacks the columns vertical learning needs: "
                                  "{columns}."), columns=", ".join(missing))
    bank, insurer = holdings(frame, overlap, settings.seed)
    started = time.perf_counter()
    aligned = psi.intersect(psi.Party(bank[ID_COLUMN].tolist()),
                            psi.Party(insurer[ID_COLUMN].tolist()))
    psi_s = time.perf_counter() - started
    bank_rows = bank.iloc[aligned.bank_rows]
    ins_rows = insurer.iloc[aligned.insurer_rows]
    if not (bank_rows[ID_COLUMN].to_numpy() == ins_rows[ID_COLUMN].to_numpy()).all():
        raise RuntimeError("PSI alignment produced different customers on the two sides")
    xa = _standardised(bank_rows, BANK_COLUMNS, label)
    xb = _standardised(ins_rows, INSURER_COLUMNS, label)
    y = bank_rows[label].to_numpy(dtype=np.float64)
    cut = int(len(y) * (1 - TEST_SHARE))
    started = time.perf_counter()
    model = logistic.train_encrypted(xa[:cut], xb[:cut], y[:cut], settings)
    train_s = time.perf_counter() - started
    w_a, w_b = logistic.train_plain(xa[:cut], xb[:cut], y[:cut], settings)
    plain = logistic.VerticalModel(w_a, w_b, 0, 0)
    empty = np.zeros((len(y), 0))
    alone = logistic.train_plain(xa[:cut], empty[:cut], y[:cut], settings)
    bank_only = logistic.VerticalModel(alone[0], alone[1], 0, 0)
    test_y = y[cut:]

    def figures(m: logistic.VerticalModel, xb_test: np.ndarray) -> dict[str, float | None]:
        s = m.score(xa[cut:], xb_test)
        return {"auc": auc(test_y, s), "ks": ks(test_y, s)}

    return {
        "psi": {"bank_customers": len(bank), "insurer_customers": len(insurer),
                "shared": len(aligned.bank_rows), "bytes": aligned.messages_bytes,
                "time_s": round(psi_s, 2), "method": "X25519 commutative blinding"},
        "train_rows": cut, "test_rows": len(test_y),
        "vertical_encrypted": figures(model, xb[cut:]),
        "same_updates_in_clear": figures(plain, xb[cut:]),
        "bank_only": figures(bank_only, empty[cut:]),
        "max_weight_gap_vs_clear": float(max(np.abs(model.bank_weights - w_a).max(),
                                             np.abs(model.insurer_weights - w_b).max())),
        "paillier": {"key_bits": settings.key_bits, "ciphertexts": model.ciphertexts,
                     "iterations": settings.iterations, "time_s": round(train_s, 2)},
        "bank_columns": list(BANK_COLUMNS), "insurer_columns": list(INSURER_COLUMNS),
    }
