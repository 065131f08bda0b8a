"""Vertical logistic regression under Paillier encryption (``phe``), two parties, no arbiter.

The bank holds the labels and its columns; the insurer holds other columns of the same
(aligned) customers. The loss uses the second-order Taylor expansion of the logistic loss
(Hardy et al., 2017), whose gradient is linear in the scores, so it can be computed on
ciphertexts:  d = 0.25 (u_bank + u_insurer) + 0.5 - y.

Each party owns a Paillier key pair. Per mini-batch:

1. bank -> insurer: [[0.25 u_bank + 0.5 - y]] under the bank's key (labels stay hidden);
2. insurer adds 0.25 u_insurer, forms [[X_insurer^T d]], adds a random mask, bank decrypts
   the masked sum, insurer removes the mask: the insurer's gradient, seen by no one else;
3. insurer -> bank: [[u_insurer]] under the insurer's key; the bank forms
   [[X_bank^T u_insurer]] + mask, the insurer decrypts it, the bank unmasks: the bank's
   gradient, without the bank seeing any insurer score.

Because the arithmetic is exact up to Paillier's fixed-point encoding, the result matches
:func:`train_plain` (the same updates in the clear) - FATE's "lossless" claim, tested.
Scoring needs both partial scores; the insurer shares its scores for the rows being scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from phe import EncryptedNumber, PaillierPrivateKey, PaillierPublicKey, generate_paillier_keypair

KEY_BITS = 2048
MASK_SCALE = 1e6


@dataclass(frozen=True)
class Settings:
    iterations: int = 20
    batch_size: int = 128
    learning_rate: float = 0.5
    l2: float = 1e-3
    key_bits: int = KEY_BITS
    seed: int = 0


def with_intercept(x: np.ndarray) -> np.ndarray:
    return np.hstack([x, np.ones((len(x), 1))])


def batches(n: int, s: Settings) -> list[np.ndarray]:
    rng = np.random.default_rng(s.seed)
    out: list[np.ndarray] = []
    while len(out) < s.iterations:
        order = rng.permutation(n)
        out.extend(order[i:i + s.batch_size] for i in range(0, n, s.batch_size))
    return out[:s.iterations]


def train_plain(x_bank: np.ndarray, x_ins: np.ndarray, y: np.ndarray,
                s: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The reference: the same Taylor-loss updates with both column sets in the clear."""
    xa, w_a, w_b = with_intercept(x_bank), np.zeros(x_bank.shape[1] + 1), np.zeros(x_ins.shape[1])
    for idx in batches(len(y), s):
        d = 0.25 * (xa[idx] @ w_a + x_ins[idx] @ w_b) + 0.5 - y[idx]
        w_a = w_a - s.learning_rate * (xa[idx].T @ d / len(idx) + s.l2 * w_a)
        w_b = w_b - s.learning_rate * (x_ins[idx].T @ d / len(idx) + s.l2 * w_b)
    return w_a, w_b


def _dot(x: np.ndarray, encrypted: list[EncryptedNumber]) -> list[EncryptedNumber]:
    """x^T [[v]]: one ciphertext per column, from plaintext-ciphertext products."""
    out = []
    for column in x.T:
        terms = [c * float(v) for c, v in zip(encrypted, column, strict=True) if v != 0.0]
        total = terms[0] if terms else encrypted[0] * 0
        for term in terms[1:]:
            total = total + term
        out.append(total)
    return out


@dataclass
class Holder:
    """A party: its columns, its weights, its own key pair (private key never sent)."""

    x: np.ndarray
    key_bits: int
    rng: np.random.Generator
    public: PaillierPublicKey = field(init=False)
    private: PaillierPrivateKey = field(init=False, repr=False)
    weights: np.ndarray = field(init=False)
    ciphertexts_sent: int = 0

    def __post_init__(self) -> None:
        self.public, self.private = generate_paillier_keypair(n_length=self.key_bits)
        self.weights = np.zeros(self.x.shape[1])

    def encrypt(self, values: np.ndarray) -> list[EncryptedNumber]:
        self.ciphertexts_sent += len(values)
        return [self.public.encrypt(float(v)) for v in values]

    def decrypt_masked(self, values: list[EncryptedNumber]) -> np.ndarray:
        """Decrypt for the other party; what it decrypts is masked, so it learns nothing."""
        return np.array([self.private.decrypt(v) for v in values])

    def masked(self, values: list[EncryptedNumber]) -> tuple[list[EncryptedNumber], np.ndarray]:
        mask = self.rng.uniform(-MASK_SCALE, MASK_SCALE, len(values))
        self.ciphertexts_sent += len(values)
        return [v + float(m) for v, m in zip(values, mask, strict=True)], mask


@dataclass(frozen=True)
class VerticalModel:
    bank_weights: np.ndarray
    insurer_weights: np.ndarray
    ciphertexts: int
    key_bits: int

    def score(self, x_bank: np.ndarray, x_ins: np.ndarray) -> np.ndarray:
        u = with_intercept(x_bank) @ self.bank_weights + x_ins @ self.insurer_weights
        return 1.0 / (1.0 + np.exp(-u))


def train_encrypted(x_bank: np.ndarray, x_ins: np.ndarray, y: np.ndarray,
                    s: Settings) -> VerticalModel:
    rng = np.random.default_rng(s.seed)
    bank = Holder(with_intercept(x_bank), s.key_bits, rng)
    insurer = Holder(x_ins, s.key_bits, rng)
    for idx in batches(len(y), s):
        n = len(idx)
        xa, xb = bank.x[idx], insurer.x[idx]
        u_a, u_b = xa @ bank.weights, xb @ insurer.weights
        # 1-2: the insurer's gradient, computed under the bank's key
        partial = bank.encrypt(0.25 * u_a + 0.5 - y[idx])
        residual = [c + 0.25 * float(v) for c, v in zip(partial, u_b, strict=True)]
        hidden, mask_b = insurer.masked(_dot(xb, residual))
        g_b = (bank.decrypt_masked(hidden) - mask_b) / n
        # 3: the bank's gradient; the insurer's scores arrive under the insurer's key
        hidden_a, mask_a = bank.masked(_dot(xa, insurer.encrypt(u_b)))
        cross = insurer.decrypt_masked(hidden_a) - mask_a
        g_a = (xa.T @ (0.25 * u_a + 0.5 - y[idx]) + 0.25 * cross) / n
        bank.weights = bank.weights - s.learning_rate * (g_a + s.l2 * bank.weights)
        insurer.weights = insurer.weights - s.learning_rate * (g_b + s.l2 * insurer.weights)
    return VerticalModel(bank.weights, insurer.weights,
                         bank.ciphertexts_sent + insurer.ciphertexts_sent, s.key_bits)
