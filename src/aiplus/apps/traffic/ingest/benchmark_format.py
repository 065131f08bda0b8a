"""The standard traffic benchmark format (METR-LA / PEMS-BAY): a pandas-written ``.h5`` of
speeds (rows = 5-minute times, columns = sensors) and an adjacency pickle.

Read with ``h5py`` (no PyTables needed) from the fixed layout pandas writes: ``df/axis0``
sensor ids, ``df/axis1`` times in nanoseconds, ``df/block0_values`` the matrix. The pickle is
read with a restricted unpickler that only rebuilds NumPy arrays and plain containers, since
an arbitrary pickle can run code. Splits follow the protocol: chronological 70/10/20.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
           ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
           ("numpy._core.multiarray", "scalar"), ("builtins", "list"), ("builtins", "dict"),
           ("_codecs", "encode")}
SPLITS = (0.7, 0.1, 0.2)


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise ValidationFailed(N_("The adjacency file holds a disallowed object {name}."),
                                   name=f"{module}.{name}")
        return super().find_class(module, name)


def load_speeds(path: Path, key: str = "df") -> pd.DataFrame:
    try:
        with h5py.File(path, "r") as store:
            group = store[key]
            sensors = [s.decode() if isinstance(s, bytes) else str(s) for s in group["axis0"][:]]
            times = pd.to_datetime(group["axis1"][:], unit="ns")
            values = group["block0_values"][:]
    except (OSError, KeyError) as problem:
        raise ValidationFailed(N_("The file is not a METR-LA/PEMS-BAY style .h5: {problem}"),
                               problem=str(problem)) from None
    return pd.DataFrame(values, index=times, columns=sensors)


def load_adjacency(path: Path) -> tuple[list[str], np.ndarray]:
    """Sensor ids and the weighted adjacency matrix from the benchmark pickle."""
    with path.open("rb") as handle:
        try:
            content = _Restricted(handle, encoding="latin1").load()
        except (pickle.UnpicklingError, EOFError, ValueError) as problem:
            raise ValidationFailed(N_("The adjacency file is not readable: {problem}"),
                                   problem=str(problem)) from None
    if not isinstance(content, (list, tuple)) or len(content) != 3:
        raise ValidationFailed(N_("The adjacency file must hold ids, an index and a matrix."))
    ids, _, matrix = content
    return [str(i) for i in ids], np.asarray(matrix, dtype=float)


def split_points(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """End of training and end of validation, chronologically (70/10/20)."""
    n = len(frame)
    return frame.index[int(n * SPLITS[0]) - 1], frame.index[int(n * (SPLITS[0] + SPLITS[1])) - 1]


def upstream(ids: list[str], matrix: np.ndarray, sensor: str, count: int = 3) -> list[str]:
    """The sensors most strongly linked into ``sensor`` (exogenous features for boosting)."""
    column = matrix[:, ids.index(sensor)].copy()
    column[ids.index(sensor)] = 0
    return [ids[i] for i in np.argsort(-column)[:count] if column[i] > 0]
