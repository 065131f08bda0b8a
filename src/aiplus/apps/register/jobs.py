"""A job that publishes a dated, hashed snapshot of the register for auditors."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from aiplus.apps.register.service import register_csv, register_entries
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.db import utcnow
from aiplus.core.i18n import N_
from aiplus.core.identity import Role
from aiplus.platform.registry import AppRegistry


def snapshot(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    registry = AppRegistry.discover()
    ctx.progress(10, N_("Collecting applications"))
    entries = []
    for position, entry in enumerate(register_entries(registry), start=1):
        entries.append(entry)
        ctx.progress(10 + 70 * position / max(1, len(registry)), N_("Reading applications"))
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    document = json.dumps({"generated_at": stamp, "apps": entries}, ensure_ascii=False, indent=2)
    json_key, csv_key = f"register/{stamp}.json", f"register/{stamp}.csv"
    ctx.files.write_bytes(json_key, document.encode())
    ctx.files.write_bytes(csv_key, register_csv(registry).encode())
    ctx.progress(95, N_("Snapshot written"))
    ctx.log(f"wrote {json_key} and {csv_key}")
    return {"json": json_key, "csv": csv_key, "apps": len(entries),
            "sha256": hashlib.sha256(document.encode()).hexdigest()}


snapshot_job = JobKind(
    name="ai-register.snapshot",
    function=snapshot,
    title_en="Publish a snapshot of the AI register",
    title_zh="發佈人工智能登記冊快照",
    roles=(Role.OFFICER, Role.REVIEWER, Role.DATA_STEWARD),
)
