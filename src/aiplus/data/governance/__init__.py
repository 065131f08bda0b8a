"""Data governance: classification, PII scans of uploads, GBA cross-boundary checks, and the
publication decision that combines them (licence and provenance required)."""

from aiplus.data.governance.classification import Classification, may_publish_open
from aiplus.data.governance.gba import (
    GBA_CHECKS,
    GbaAnswer,
    GbaRecord,
    filing_deadline,
    release_allowed,
    validate_gba,
)
from aiplus.data.governance.policy import Decision, publication_decision
from aiplus.data.governance.scan import Finding, ScanReport, scan_table, scan_text

__all__ = ["GBA_CHECKS", "Classification", "Decision", "Finding", "GbaAnswer", "GbaRecord",
           "ScanReport", "filing_deadline", "may_publish_open", "publication_decision",
           "release_allowed", "scan_table", "scan_text", "validate_gba"]
