"""The enquiry service's own settings (``AIPLUS_ENQUIRY_*``), with safe defaults."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EnquirySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIPLUS_ENQUIRY_", extra="ignore")

    default_kb: str = "1823"
    max_question_chars: int = Field(default=2000, ge=10, le=10000)
    max_audio_seconds: float = Field(default=60.0, gt=0, le=600)
    max_audio_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    conversation_turns: int = Field(default=4, ge=1, le=20, description="Turns kept as context.")
    conversation_hours: float = Field(default=24.0, gt=0, description="Retention of turns.")
    sms_max_parts: int = Field(default=10, ge=1, le=20)
    auto_translate_questions: bool = Field(
        default=True, description="Start the question-translation job when a single-language "
                                  "FAQ version is approved.")
    grounded_generation: bool = Field(
        default=False, description="Rephrase approved answers through the LLM gateway.")


@lru_cache(maxsize=1)
def enquiry_settings() -> EnquirySettings:
    return EnquirySettings()
