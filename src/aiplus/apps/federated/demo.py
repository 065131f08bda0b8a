"""Demo federation: a coordinator (an SME-credit consortium) and five banks, each with signed
consent and data-use agreements, so a run can be started from the portal at once.
Loading goes through the same service as the API and is idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from aiplus.apps.federated.tables import Participant
from aiplus.apps.federated.service import Federation
from aiplus.core import audit, identity
from aiplus.core.identity import Principal
from aiplus.platform.services import Platform

DEMO_ORG = ("sme-credit-fl", "SME credit federation (demo)", "中小企信貸聯邦（示範）")
BANKS = ("Harbour Bank", "Peak Bank", "Kowloon Savings", "Lantau Credit", "Tsuen Wan Finance")
LOADER = Principal(username="demo-loader", user_id=0, platform_admin=True, via="demo")
PURPOSE = "Joint training of an SME and card credit default model (demo)"


def load_demo_federation(platform: Platform) -> str:
    slug, name_en, name_zh = DEMO_ORG
    with platform.db.transaction() as session:
        if not session.scalar(select(identity.Organisation.id)
                              .where(identity.Organisation.slug == slug)):
            identity.create_org(session, slug, name_en, name_zh, "other")
            audit.record(session, actor=LOADER.actor, org=slug, action="org.create",
                         target=f"org:{slug}")
        known = set(session.scalars(select(Participant.name).where(Participant.org == slug)))
    service = Federation(platform)
    added = 0
    for name in BANKS:
        if name in known:
            continue
        row = service.register(LOADER, slug, name, "bank")
        for kind in ("consent", "data-use"):
            service.agree(LOADER, row["id"], kind, PURPOSE, f"{name} data protection officer",
                          date(2026, 1, 5))
        added += 1
    return f"{added} demo banks in {slug}"
