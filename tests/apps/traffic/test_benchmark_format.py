"""The METR-LA / PEMS-BAY format: h5 speeds and a safely unpickled adjacency."""

from __future__ import annotations

import pickle

import h5py
import numpy as np
import pandas as pd
import pytest

from aiplus.apps.traffic.ingest.benchmark_format import (
    load_adjacency,
    load_speeds,
    split_points,
    upstream,
)
from aiplus.core.errors import ValidationFailed

pytestmark = pytest.mark.nodb


def test_h5_and_adjacency_round_trip(tmp_path) -> None:
    times = pd.date_range("2012-03-01", periods=100, freq="5min")
    with h5py.File(tmp_path / "metr.h5", "w") as store:
        store["df/axis0"] = np.array([b"773869", b"767541"])
        store["df/axis1"] = times.as_unit("ns").asi8
        store["df/block0_values"] = np.arange(200, dtype=float).reshape(100, 2)
    frame = load_speeds(tmp_path / "metr.h5")
    assert list(frame.columns) == ["773869", "767541"] and frame.index[0] == times[0]
    train_end, valid_end = split_points(frame)
    assert train_end == times[69] and valid_end == times[79]
    matrix = np.array([[1.0, 0.8], [0.2, 1.0]])
    (tmp_path / "adj.pkl").write_bytes(pickle.dumps(
        [["773869", "767541"], {"773869": 0, "767541": 1}, matrix], protocol=2))
    ids, adjacency = load_adjacency(tmp_path / "adj.pkl")
    assert ids == ["773869", "767541"] and adjacency[0, 1] == 0.8
    assert upstream(ids, adjacency, "767541") == ["773869"]


def test_a_pickle_that_would_run_code_is_refused(tmp_path) -> None:
    class Evil:
        def __reduce__(self):
            return (print, ("owned",))

    (tmp_path / "adj.pkl").write_bytes(pickle.dumps([Evil(), {}, []]))
    with pytest.raises(ValidationFailed):
        load_adjacency(tmp_path / "adj.pkl")
    with pytest.raises(ValidationFailed):
        load_speeds(tmp_path / "adj.pkl")
