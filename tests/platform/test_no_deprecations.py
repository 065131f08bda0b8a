"""``make run`` prints no deprecation warnings from our code: the platform is imported,
migrated, given data and served in a fresh interpreter that records every DeprecationWarning
and FutureWarning whose stack passes through ``src/aiplus`` (see ``deprecation_probe``).

The suite's own configuration ignores DeprecationWarning (third-party libraries raise many),
so without this test a deprecated call of ours would go unnoticed until the library drops it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from tests.platform import deprecation_probe

ROOT = Path(__file__).resolve().parents[2]


def test_the_probe_catches_a_deprecated_call_in_our_code() -> None:
    """A warning raised from a file inside the package is caught; one from elsewhere is not."""
    found: list[dict[str, object]] = []
    planted = "import warnings\nwarnings.warn('old API', DeprecationWarning)\n"
    with warnings.catch_warnings():
        deprecation_probe.watch(found)
        exec(compile(planted, str(deprecation_probe.OURS / "planted.py"), "exec"))
        exec(compile(planted, str(ROOT / "elsewhere.py"), "exec"))
    assert [entry["our_code"] for entry in found] == ["aiplus/planted.py:2"]


def test_serving_pages_raises_no_deprecation_from_our_code(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("AIPLUS_")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.platform.deprecation_probe", str(tmp_path / "home")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-4000:]}"
