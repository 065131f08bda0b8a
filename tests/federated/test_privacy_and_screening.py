"""The privacy accountant and the coordinator's norm screening."""

from __future__ import annotations

import numpy as np
import pytest
from opacus.accountants import RDPAccountant

from aiplus.federated import privacy
from aiplus.federated.server.screening import screen, update_norm

pytestmark = pytest.mark.nodb


def test_epsilon_falls_with_noise_and_grows_with_rounds() -> None:
    assert privacy.epsilon(2.0, 5) < privacy.epsilon(1.0, 5)
    assert privacy.epsilon(1.0, 10) > privacy.epsilon(1.0, 5)


@pytest.mark.parametrize("target", [0.5, 2.0, 8.0])
def test_noise_for_a_target_spends_at_most_that_budget(target: float) -> None:
    noise = privacy.noise_for(target, 10)
    assert privacy.epsilon(noise, 10) <= target
    assert privacy.epsilon(noise * 0.98, 10) > target  # and not much more noise than needed


def test_epsilon_agrees_with_opacus_accountant_object() -> None:
    accountant = RDPAccountant()
    for _ in range(7):
        accountant.step(noise_multiplier=1.3, sample_rate=1.0)
    assert privacy.epsilon(1.3, 7) == pytest.approx(
        accountant.get_epsilon(delta=privacy.DELTA), rel=0.05)


def test_screening_rejects_nan_and_outliers_even_with_two_participants() -> None:
    assert screen({0: 0.4, 1: 0.5, 2: 0.45}, 5.0) == {}
    assert screen({0: 0.4, 1: float("nan"), 2: 300.0}, 5.0) == {1: "non-finite",
                                                               2: "norm-outlier"}
    assert screen({0: 0.4, 1: 400.0}, 5.0) == {1: "norm-outlier"}


def test_update_norm_is_distance_from_the_global_model() -> None:
    reference = [np.zeros((2, 2)), np.zeros(2)]
    assert update_norm([np.full((2, 2), 1.0), np.zeros(2)], reference) == pytest.approx(2.0)
