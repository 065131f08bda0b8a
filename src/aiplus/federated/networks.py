"""The horizontal models (PyTorch, CPU) and the local training every participant runs.

Why one module for both: a participant, the centralised baseline and the local-only
baselines must train exactly the same way, or the comparison in the benchmark is unfair.
FedProx (Li et al., 2020) adds ``mu/2 * ||w - w_global||^2`` to the local loss so banks with
skewed data do not drift far from the shared model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from aiplus.federated.data import Shard

MODEL_KINDS = ("lr", "mlp", "xgb")
HIDDEN = 32


def build(kind: str, n_features: int, seed: int = 0) -> nn.Module:
    """Logistic regression (one linear layer) or a small MLP, both ending in a logit."""
    torch.manual_seed(seed)
    if kind == "lr":
        return nn.Linear(n_features, 1)
    return nn.Sequential(nn.Linear(n_features, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
                         nn.ReLU(), nn.Linear(HIDDEN, 1))


def get_weights(model: nn.Module) -> list[np.ndarray]:
    return [p.detach().cpu().numpy().copy() for p in model.state_dict().values()]


def set_weights(model: nn.Module, weights: list[np.ndarray]) -> None:
    keys = list(model.state_dict())
    model.load_state_dict({k: torch.from_numpy(np.asarray(w)) for k, w in zip(keys, weights,
                                                                               strict=True)})


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 1
    batch_size: int = 64
    learning_rate: float = 0.01
    proximal_mu: float = 0.0
    seed: int = 0


def train(model: nn.Module, shard: Shard, settings: TrainSettings) -> float:
    """Local epochs of Adam on the shard; returns the mean training loss."""
    torch.manual_seed(settings.seed)
    x, y = torch.from_numpy(shard.x), torch.from_numpy(shard.y)
    anchor = [p.detach().clone() for p in model.parameters()]
    optimiser = torch.optim.Adam(model.parameters(), lr=settings.learning_rate)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    losses = []
    for _ in range(settings.epochs):
        for batch in torch.randperm(len(y)).split(settings.batch_size):
            optimiser.zero_grad()
            loss = loss_fn(model(x[batch]).squeeze(1), y[batch])
            if settings.proximal_mu:
                drift = sum(((p - a) ** 2).sum() for p, a in zip(model.parameters(), anchor,
                                                                 strict=True))
                loss = loss + settings.proximal_mu / 2 * drift
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
    return float(np.mean(losses)) if losses else 0.0


def score(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Probability of default for each row."""
    model.eval()
    with torch.no_grad():
        return torch.sigmoid(model(torch.from_numpy(x)).squeeze(1)).numpy()
