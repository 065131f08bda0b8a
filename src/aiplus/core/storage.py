"""Files kept by the platform, all under ``HOME/files`` and never outside it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_


class FileStore:
    """A folder of files addressed by relative keys such as ``register/export.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        """The absolute path of ``key``; keys that would escape the store are refused."""
        candidate = (self.root / key).resolve()
        if not key or candidate == self.root or self.root not in candidate.parents:
            raise BadRequest(N_("That file name is not allowed."))
        return candidate

    def write_bytes(self, key: str, data: bytes) -> Path:
        """Write atomically: readers see the old file or the new one, never half of it."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    def read_bytes(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()
