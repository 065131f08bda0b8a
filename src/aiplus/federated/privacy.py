"""Differential privacy budget: the noise a target epsilon needs, and the epsilon spent.

Why Opacus' RDP accountant: it is the standard, maintained Renyi-DP accountant. A round of
client-side fixed clipping plus Gaussian noise on the sum is one subsampled Gaussian
mechanism with sampling rate 1 (every participant joins every round), so T rounds compose to
the epsilon below. The unit of privacy is a whole participant (bank-level DP).
"""

from __future__ import annotations

import warnings

from opacus.accountants.analysis.rdp import compute_rdp, get_privacy_spent

DELTA = 1e-5
ORDERS = [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 256))


def epsilon(noise_multiplier: float, rounds: int, delta: float = DELTA) -> float:
    rdp = compute_rdp(q=1.0, noise_multiplier=noise_multiplier, steps=rounds, orders=ORDERS)
    with warnings.catch_warnings():  # huge noise hits the top order; the bound still holds
        warnings.simplefilter("ignore", UserWarning)
        eps, _ = get_privacy_spent(orders=ORDERS, rdp=rdp, delta=delta)
    return float(eps)


def noise_for(target_epsilon: float, rounds: int, delta: float = DELTA) -> float:
    """The smallest noise multiplier (to 0.1 %) whose epsilon after ``rounds`` is <= target."""
    low, high = 0.05, 500.0
    while high - low > 1e-3 * high:
        mid = (low + high) / 2
        if epsilon(mid, rounds, delta) > target_epsilon:
            low = mid
        else:
            high = mid
    return high
