"""The platform's own settings beside the core ones: the default upload limits."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class UploadSettings(BaseSettings):
    """The platform's default upload limits (``AIPLUS_UPLOAD_*``); an endpoint may pass
    tighter ones (the copilot keeps its own archive limits, the forms their pixel limit).

    The defaults let every legitimate file in the demo data and tests through while keeping
    a bomb's cost small: 200 MB expanded is the DataStore's own largest file
    (:data:`aiplus.data.datastore.ingest.DEFAULT_MAX_BYTES`); real Office parts compress 3-20
    times and deflate cannot pass ~1,030, so 100 separates documents from bombs; 10,000
    parts is far more than any workbook or document holds; 50 megapixels admits a 48 MP
    phone photo while a decoded image stays under ~200 MB.
    """

    model_config = SettingsConfigDict(env_prefix="AIPLUS_UPLOAD_", extra="ignore")

    max_members: int = Field(default=10_000, ge=1, description="Parts an archive may hold.")
    max_expanded_bytes: int = Field(default=200 * MiB, ge=1024,
                                    description="Total size an archive may expand to.")
    max_ratio: float = Field(default=100.0, ge=2,
                             description="Largest compression ratio of a part over 1 MiB.")
    max_pixels: int = Field(default=50_000_000, ge=1, description="Width times height.")
    parse_memory_bytes: int = Field(default=1024 * MiB, ge=64 * MiB,
                                    description="Memory a parsing worker may add to its own.")
    parse_seconds: float = Field(default=60.0, gt=0, description="Time a parsing worker has.")


@lru_cache(maxsize=1)
def upload_settings() -> UploadSettings:
    return UploadSettings()
