"""STID: a spatio-temporal identity model for network-wide forecasts (PyTorch, CPU).

STID (Shao et al., 2022) shows that a plain MLP does as well as graph networks on traffic
benchmarks once each input carries identities: which node (route or detector) it is, the
time of day and the day of week. Every node's last hour is encoded together with those
embeddings and the MLP outputs all horizons at once, for all nodes in one pass.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from aiplus.apps.traffic.forecasting.calendar import day_type

INPUT_STEPS = 12
VALIDATION_SHARE = 0.15
PATIENCE = 5
EMBED = 32


class Stid(nn.Module):
    def __init__(self, nodes: int, slots_per_day: int, outputs: int, layers: int = 3) -> None:
        super().__init__()
        self.node = nn.Parameter(torch.empty(nodes, EMBED))
        self.time_of_day = nn.Parameter(torch.empty(slots_per_day, EMBED))
        self.day_of_week = nn.Parameter(torch.empty(7, EMBED))
        for table in (self.node, self.time_of_day, self.day_of_week):
            nn.init.xavier_uniform_(table)
        self.encode = nn.Conv2d(INPUT_STEPS * 2, EMBED, kernel_size=1)
        hidden = EMBED * 4
        self.blocks = nn.ModuleList(nn.Sequential(
            nn.Conv2d(hidden, hidden, 1), nn.ReLU(), nn.Dropout(0.1), nn.Conv2d(hidden, hidden, 1))
            for _ in range(layers))
        self.head = nn.Conv2d(hidden, outputs, kernel_size=1)

    def forward(self, history: torch.Tensor, slot: torch.Tensor, day: torch.Tensor
                ) -> torch.Tensor:
        """history: (batch, steps, nodes, 2) values and a seen-mask; returns (batch, out, nodes)."""
        batch, _, nodes, _ = history.shape
        series = history.permute(0, 3, 1, 2).reshape(batch, -1, nodes, 1)
        parts = [self.encode(series),
                 self.node.T.unsqueeze(0).expand(batch, -1, -1).unsqueeze(-1),
                 self.time_of_day[slot].unsqueeze(-1).expand(-1, -1, nodes).unsqueeze(-1),
                 self.day_of_week[day].unsqueeze(-1).expand(-1, -1, nodes).unsqueeze(-1)]
        hidden = torch.cat(parts, dim=1)
        for block in self.blocks:
            hidden = hidden + block(hidden)
        return self.head(hidden).squeeze(-1)


@dataclass
class StidForecaster:
    """Train on a frame of regular series (columns = nodes); forecast k steps ahead."""

    horizons_steps: list[int]
    epochs: int = 30
    seed: int = 7
    epochs_kept: int = 0

    def fit(self, frame: pd.DataFrame, train_end: pd.Timestamp) -> StidForecaster:
        torch.manual_seed(self.seed)
        train = frame[frame.index <= train_end].to_numpy(dtype=float)
        self.log = bool(np.all(train[np.isfinite(train)] > 0))
        space = self._space(train)
        self.mean = np.nan_to_num(np.nanmean(space, axis=0))
        spread = np.nanstd(space, axis=0)
        self.scale = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
        self.step = int((frame.index[1] - frame.index[0]).total_seconds() // 60)
        self.slots = 1440 // self.step
        inputs, slots, days, targets = self._windows(frame, train_end)
        self.model = Stid(frame.shape[1], self.slots, len(self.horizons_steps))
        optimiser = torch.optim.AdamW(self.model.parameters(), lr=2e-3, weight_decay=1e-4)
        # the latest windows (after a gap of the longest horizon, so no target is shared)
        # pick the epoch to keep: ``epochs`` is a ceiling, not a promise
        cut = int(len(inputs) * (1 - VALIDATION_SHARE))
        held = torch.arange(min(len(inputs) - 1, cut + max(self.horizons_steps)), len(inputs))
        best, kept = float("inf"), copy.deepcopy(self.model.state_dict())
        for epoch in range(self.epochs):
            self.model.train()
            for batch in torch.randperm(cut).split(64):
                loss = self._loss(inputs, slots, days, targets, batch)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
            self.model.eval()
            with torch.no_grad():
                error = float(self._loss(inputs, slots, days, targets, held))
            if error < best or not np.isfinite(error):  # no held-out truth: keep the last
                best, self.epochs_kept = error, epoch + 1
                kept = copy.deepcopy(self.model.state_dict())
            elif epoch + 1 - self.epochs_kept >= PATIENCE:
                break
        self.model.load_state_dict(kept)
        return self

    def _loss(self, inputs: torch.Tensor, slots: torch.Tensor, days: torch.Tensor,
              targets: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """Mean absolute error over the observed targets of the given windows."""
        truth = targets[rows]
        seen = torch.isfinite(truth)
        guess = self.model(inputs[rows], slots[rows], days[rows])
        return (guess - torch.nan_to_num(truth)).abs()[seen].mean()

    def _space(self, values: np.ndarray) -> np.ndarray:
        """Log travel times when every value is positive (heavy tails become symmetric, and
        an L1 fit there is a median forecast), then standardised per node so short and long
        routes weigh alike."""
        return np.log(values) if self.log else values

    def _tensors(self, frame: pd.DataFrame, origins: np.ndarray):
        scaled = (self._space(frame.to_numpy(dtype=float)) - self.mean) / self.scale
        seen = np.isfinite(scaled)
        filled = pd.DataFrame(scaled).ffill().fillna(0.0).to_numpy()
        windows = np.stack([np.stack([filled[o - INPUT_STEPS + 1:o + 1],
                                      seen[o - INPUT_STEPS + 1:o + 1]], -1) for o in origins])
        stamps = frame.index[origins]
        slot = ((stamps.hour * 60 + stamps.minute) // self.step).to_numpy()
        return (torch.tensor(windows, dtype=torch.float32), torch.tensor(slot),
                torch.tensor(day_type(stamps)), scaled)

    def _windows(self, frame: pd.DataFrame, train_end: pd.Timestamp):
        last = int(np.searchsorted(frame.index, train_end, side="right")) - max(
            self.horizons_steps)
        origins = np.arange(INPUT_STEPS - 1, last)
        inputs, slots, days, scaled = self._tensors(frame, origins)
        targets = np.stack([scaled[origins + k] for k in self.horizons_steps], 1)
        return inputs, slots, days, torch.tensor(targets, dtype=torch.float32)

    def predict(self, frame: pd.DataFrame, origins: np.ndarray) -> np.ndarray:
        """Forecasts (origins, horizons, nodes) in original units, from data up to each origin."""
        inputs, slots, days, _ = self._tensors(frame, origins)
        self.model.eval()
        with torch.no_grad():
            out = self.model(inputs, slots, days).numpy()
        values = out * self.scale + self.mean
        return np.exp(values) if self.log else values
