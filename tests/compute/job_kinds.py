"""Job functions the job tests run on every backend."""

from __future__ import annotations

import time
from typing import Any

from aiplus.compute.jobs import JobContext, JobKind


def count(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    steps = int(params.get("steps", 5))
    for step in range(1, steps + 1):
        time.sleep(float(params.get("pause", 0.01)))
        ctx.progress(100 * step / steps, f"step {step} of {steps}")
    ctx.log(f"counted to {steps}")
    return {"counted": steps}


def explode(ctx: JobContext, params: dict[str, Any]) -> None:
    ctx.progress(50, "about to fail")
    raise ValueError("the input file has no rows")


def linger(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for step in range(600):
        ctx.progress(step / 6, "waiting to be cancelled")
        time.sleep(0.05)
    return {"finished": True}


KINDS = (
    JobKind("test.count", count, "Count", "數數"),
    JobKind("test.explode", explode, "Explode", "失敗"),
    JobKind("test.linger", linger, "Linger", "等待"),
)
