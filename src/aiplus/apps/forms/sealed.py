"""Page images at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived
from the platform secret, so a copied database file does not expose applicants' documents.

The key is HKDF-SHA256 of the platform secret with a purpose label: rotating the platform
secret makes stored images unreadable, which the retention limit makes tolerable.
"""

from __future__ import annotations

import base64
import io

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from PIL import Image

from aiplus.core.settings import Settings

PURPOSE = b"aiplus forms page images v1"


def _fernet(settings: Settings) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        settings.session_secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(settings: Settings, image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return _fernet(settings).encrypt(buffer.getvalue())


def unseal(settings: Settings, token: bytes) -> Image.Image:
    return Image.open(io.BytesIO(_fernet(settings).decrypt(token))).convert("RGB")
