"""The audit log over JSON, for platform administrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.identity import Principal
from aiplus.platform.security import platform_of, require_platform_admin

router = APIRouter(prefix="/api/audit", tags=["audit"])


def recent_entries(request: Request, limit: int) -> list[dict[str, Any]]:
    with platform_of(request).db.read() as session:
        rows = session.scalars(
            select(audit.AuditEntry).order_by(audit.AuditEntry.seq.desc()).limit(limit)
        )
        return [row.as_dict() for row in rows]


@router.get("", summary="Newest audit entries")
def entries(
    request: Request, limit: int = Query(100, ge=1, le=1000),
    _: Principal = Depends(require_platform_admin),
) -> dict[str, Any]:
    return {"entries": recent_entries(request, limit)}


@router.get("/verify", summary="Check the hash chain from the first entry")
def verify(request: Request, _: Principal = Depends(require_platform_admin)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        result = audit.verify(session)
    return {"ok": result.ok, "checked": result.checked, "first_bad_seq": result.first_bad_seq,
            "reason": result.reason}
