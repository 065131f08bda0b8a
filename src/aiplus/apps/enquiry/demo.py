"""The demo knowledge base that ``aiplus demo load`` (and so ``make run``) loads: Hong Kong
government-service FAQs in English and Chinese (``demo_kb/faqs.json``), approved, under the
1823 organisation. Loading goes through the same import as the CLI and is idempotent."""

from __future__ import annotations

from importlib import resources as package_files

from sqlalchemy import select

from aiplus.apps.enquiry.formats import read_records
from aiplus.apps.enquiry.tables import KnowledgeBase
from aiplus.apps.enquiry.retrieval.kb import demo_translations
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.core import audit, identity
from aiplus.core.identity import Principal
from aiplus.platform.demo import DEMO_ORGS
from aiplus.platform.services import Platform

DEMO_ORG = next(org[:3] for org in DEMO_ORGS if org[0] == "hk-effo")
"""The 1823 service's organisation: the one the platform demo and the open-data demo name, so
the portal shows one Efficiency Office, not two."""
LOADER = Principal(username="demo-loader", user_id=0, platform_admin=True, via="demo")


def demo_kb_bytes() -> bytes:
    return package_files.files("aiplus.apps.enquiry").joinpath("demo_kb", "faqs.json").read_bytes()


def load_demo_kb(platform: Platform) -> str:
    """Create the demo organisation and KB if missing and import the demo FAQs, approved."""
    slug, name_en, name_zh = DEMO_ORG
    kb = enquiry_settings().default_kb
    with platform.db.transaction() as session:
        if not session.scalar(select(identity.Organisation.id)
                              .where(identity.Organisation.slug == slug)):
            identity.create_org(session, slug, name_en, name_zh, "department")
            audit.record(session, actor=LOADER.actor, org=slug, action="org.create",
                         target=f"org:{slug}")
    service = KnowledgeBases(platform)
    with platform.db.read() as session:
        exists = session.scalar(select(KnowledgeBase.id).where(KnowledgeBase.name == kb))
    if not exists:
        service.create_kb(LOADER, kb, "1823 government services", "1823 政府服務", slug)
    result = service.import_records(LOADER, kb, read_records(demo_kb_bytes(), "json"),
                                    approve=True)
    # the translation job's output for the demo FAQs ships with them: no LLM needed here
    service.store_machine_questions(LOADER.actor, kb, demo_translations())
    return f"{result['rows']} FAQs in {kb} ({result['versions']} new versions)"
