"""A wire tap on the participant: logs every reply that leaves it, for audit and tests.

Why: the promise of federated learning is that only model updates leave a bank. The tap
records each outgoing message's size and the names and shapes of what it carries, so a test
(and an auditor) can check that no rows, ids or labels ever cross the wire, and the benchmark
can count bytes, SecAgg+'s extra traffic included.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
from flwr.app import Array, Context, Message
from flwr.clientapp.typing import ClientAppCallable
from flwr.common.serde import recorddict_to_proto

from aiplus.federated.plan import WIRE_DIR_ENV


def _shape(array: Array) -> list[int] | str:
    """The real shape of a legacy NumPy payload (stored as .npy bytes), else its kind."""
    if array.stype == "numpy.ndarray" and not array.shape:
        return list(np.load(io.BytesIO(array.data), allow_pickle=False).shape)
    return list(array.shape) or f"{len(array.data)} bytes of {array.stype or 'opaque data'}"


def describe(message: Message) -> dict[str, object]:
    content = message.content
    return {
        "type": message.metadata.message_type,
        "bytes": recorddict_to_proto(content).ByteSize(),
        "arrays": {name: {key: _shape(array) for key, array in record.items()}
                   for name, record in content.array_records.items()},
        "metrics": {name: sorted(record) for name, record in content.metric_records.items()},
        "configs": {name: sorted(record) for name, record in content.config_records.items()},
    }


def wire_tap_mod(msg: Message, ctxt: Context, call_next: ClientAppCallable) -> Message:
    reply = call_next(msg, ctxt)
    folder = os.environ.get(WIRE_DIR_ENV)
    if folder and not reply.has_error():
        entry = {"participant": ctxt.node_config.get("partition-id"), **describe(reply)}
        path = Path(folder) / f"participant-{entry['participant']}.jsonl"
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")
    return reply
