"""Demonstration organisations and users that ``make run`` loads into a new platform."""

from __future__ import annotations

from sqlalchemy import select

from aiplus.core import audit, identity
from aiplus.platform.services import Platform

DEMO_ORGS = (
    ("hk-dpo", "Digital Policy Office", "數字政策辦公室", "department"),
    ("hk-td", "Transport Department", "運輸署", "department"),
    ("hk-effo", "Efficiency Office (1823)", "效率促進辦公室（1823）", "department"),
    ("hk-ha", "Hospital Authority", "醫院管理局", "hospital"),
    ("demo-bank", "Harbour Demonstration Bank", "維港示範銀行", "bank"),
)
DEMO_USERS = (
    ("demo-officer", "hk-td", "officer"),
    ("demo-steward", "hk-dpo", "data_steward"),
    ("demo-reviewer", "hk-dpo", "reviewer"),
    ("demo-bank-analyst", "demo-bank", "officer"),
)
ADMIN = "demo-admin"
ACTOR = "demo-loader"


def load_demo(platform: Platform, admin_password: str) -> str | None:
    """Create the demo data in one transaction; return the admin password, or None if present."""
    platform.migrate()
    with platform.db.transaction() as session:
        if session.scalar(select(identity.User.id).where(identity.User.username == ADMIN)):
            return None
        for slug, name_en, name_zh, kind in DEMO_ORGS:
            if not session.scalar(select(identity.Organisation.id)
                                  .where(identity.Organisation.slug == slug)):
                identity.create_org(session, slug, name_en, name_zh, kind)
                audit.record(session, actor=ACTOR, org=slug, action="org.create",
                             target=f"org:{slug}")
        identity.create_user(session, ADMIN, org="hk-dpo", role="admin",
                             password=admin_password, platform_admin=True,
                             display_name="Demo administrator")
        audit.record(session, actor=ACTOR, org="hk-dpo", action="user.create",
                     target=f"user:{ADMIN}", detail={"role": "admin", "platform_admin": True})
        for username, org, role in DEMO_USERS:
            identity.create_user(session, username, org=org, role=role)
            audit.record(session, actor=ACTOR, org=org, action="user.create",
                         target=f"user:{username}", detail={"role": role})
    return admin_password
