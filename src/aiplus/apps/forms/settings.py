"""The forms service's own settings (``AIPLUS_FORMS_*``), with safe defaults."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FormsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIPLUS_FORMS_", extra="ignore")

    retention_days: int = Field(default=30, ge=1, le=3650,
                                description="Days page images are kept before deletion.")
    engine: str = Field(default="rapidocr", description="OCR engine: rapidocr or tesseract.")


@lru_cache(maxsize=1)
def forms_settings() -> FormsSettings:
    return FormsSettings()
