"""The copilot's settings (``AIPLUS_COPILOT_*``): upload limits, retention and chunk sizes."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CopilotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIPLUS_COPILOT_", extra="ignore")

    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    max_pages: int = Field(default=300, ge=1)
    max_unzipped_bytes: int = Field(default=100 * 1024 * 1024, ge=1024,
                                    description="Total uncompressed size a DOCX/XLSX may claim.")
    max_zip_ratio: float = Field(default=100.0, ge=2,
                                 description="Largest compression ratio of any DOCX/XLSX part.")
    max_zip_members: int = Field(default=2000, ge=10)
    max_sheet_rows: int = Field(default=2000, ge=1)
    retention_days: int = Field(default=30, ge=1, description="Unpinned files expire after this.")
    chunk_chars: int = Field(default=900, ge=200)
    context_chars: int = Field(default=6000, ge=500,
                               description="Source text one model call may carry; longer "
                                           "documents are summarised map-reduce.")
    retrieve_k: int = Field(default=5, ge=1, le=20)
    support_threshold: float = Field(default=0.82, ge=0, le=1,
                                     description="E5 cosine above which a sentence counts as "
                                                 "supported by a cited chunk.")
    citation_floor: float = Field(default=0.78, ge=0, le=1,
                                  description="E5 cosine a cited chunk holding every figure "
                                              "and name of its sentence still needs.")
    relevance_threshold: float = Field(default=0.80, ge=0, le=1,
                                       description="E5 cosine below which no passage is "
                                                   "taken to answer the question.")


@lru_cache(maxsize=1)
def copilot_settings() -> CopilotSettings:
    return CopilotSettings()
