"""The gateway's own settings: which backend serves generation, and the per-call defaults.

Kept beside the gateway (not in core settings) so the gateway can be configured, tested and
shipped on its own. ``AIPLUS_LLM_*`` chooses the model server; ``AIPLUS_GATEWAY_*`` the
gateway's behaviour.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class LlmSettings(BaseSettings):
    """Where generation happens. With ``base_url`` unset the embedded local model serves."""

    model_config = SettingsConfigDict(env_prefix="AIPLUS_LLM_", extra="ignore")

    base_url: str | None = Field(
        default=None, description="A remote OpenAI-compatible server, e.g. http://vllm:8000/v1.")
    api_key: str | None = Field(default=None, description="Bearer key for the remote server.")
    remote_model: str | None = Field(
        default=None, description="Model id to request remotely; default: the server's first.")
    timeout_seconds: float = Field(default=120.0, gt=0)
    local: bool = Field(default=True, description="Serve the embedded GGUF model when no "
                                                  "remote server is configured.")
    context_tokens: int = Field(default=4096, ge=512, le=32768)
    threads: int | None = Field(
        default=None, ge=1, le=256, description="CPU threads for the local model; default: "
                                                "llama.cpp's own (4).")
    repeat_penalty: float = Field(
        default=1.0, ge=1.0, le=2.0, description="llama.cpp's repetition penalty on the last "
                                                 "penalty_last_n tokens; 1.0 = off. At 1.1 the "
                                                 "local model's loops only changed shape and its "
                                                 "Chinese drifted to Simplified: the loop guard "
                                                 "below stops loops instead.")
    penalty_last_n: int = Field(default=64, ge=0, le=4096)
    loop_min_tokens: int = Field(
        default=32, ge=4, description="A local answer whose tail repeats one block of tokens "
                                      "over at least this many tokens is stopped as a loop.")
    loop_min_repeats: int = Field(default=3, ge=2,
                                  description="...and the block repeated at least this often.")
    loop_max_period: int = Field(default=64, ge=0, le=512,
                                 description="Longest block checked; 0 turns the check off.")


class GatewaySettings(BaseSettings):
    """How the gateway treats every call, whatever the backend."""

    model_config = SettingsConfigDict(env_prefix="AIPLUS_GATEWAY_", extra="ignore")

    anonymize: bool = Field(default=True, description="Mask personal data before the model "
                                                      "sees it; restore it in the answer.")
    traditional: bool = Field(default=True, description="Convert Chinese output to Traditional "
                                                        "(OpenCC s2hk) unless a call opts out.")
    max_prompt_chars: int = Field(default=32_000, ge=100,
                                  description="Prompt size limit for callers without a key.")
    max_tokens_limit: int = Field(default=2048, ge=1)
    max_messages: int = Field(default=200, ge=1)
    max_embedding_inputs: int = Field(default=256, ge=1)
    session_requests_per_minute: int | None = Field(
        default=30, ge=1, description="Keyless calls (officers, the playground) per "
                                      "organisation per minute.")
    session_requests_per_day: int | None = Field(default=2000, ge=1)
    session_tokens_per_minute: int | None = Field(default=None, ge=1)
    session_tokens_per_day: int | None = Field(default=500_000, ge=1)
