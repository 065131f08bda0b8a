"""Catching a model that has fallen into a loop ("色情、暴力、色情、暴力、…" until max_tokens).

A small model decoding greedily can lock onto a cycle of a few tokens and repeat it for the
rest of its budget: the caller waits for hundreds of useless tokens and pays for them. A
loop is a tail of the output that repeats one block of tokens over and over. The guard keeps,
for every block length up to ``max_period``, how many of the latest tokens equal the token
that length earlier, so each new token costs ``max_period`` comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoopGuard:
    """Says when the output's tail is one block repeated ``min_repeats`` times and covers at
    least ``min_tokens`` tokens. Ordinary prose and code, even lists and tables, do not
    repeat an exact block that long; a degenerate answer does within a few dozen tokens."""

    min_tokens: int = 32
    min_repeats: int = 3
    max_period: int = 64
    tokens: list[int] = field(default_factory=list)
    period: int | None = None
    _runs: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._runs = [0] * (self.max_period + 1)

    def push(self, token: int) -> bool:
        """Add the next token; true once the output is looping (:attr:`period` says how)."""
        self.tokens.append(token)
        latest = len(self.tokens) - 1
        for period in range(1, min(self.max_period, latest) + 1):
            if self.tokens[latest - period] == token:
                self._runs[period] += 1
                if self.period is None and self._runs[period] + period >= max(
                        self.min_tokens, self.min_repeats * period):
                    self.period = period
            else:
                self._runs[period] = 0
        return self.period is not None
