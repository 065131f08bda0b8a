"""Run a plan as real Flower processes on loopback: one SuperLink, one SuperNode per bank.

The ServerApp and ClientApp are the very objects the simulation uses; only the transport
changes (gRPC between processes). ``flwr run`` submits a Flower App bundle whose
``pyproject.toml`` names our components and carries the plan as run configuration; each
SuperNode gets its participant number and data file through ``--node-config``, as a bank's
own node would. Everything binds to 127.0.0.1 on free ports, without TLS (``--insecure``),
which is acceptable on loopback only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from aiplus.core.errors import AiplusError
from aiplus.core.i18n import N_
from aiplus.federated.plan import WIRE_DIR_ENV, Plan
from aiplus.federated.server.app import JOURNAL_FILE

BIN = Path(sys.executable).parent
TIMEOUT_S = 300.0


class DeploymentFailed(AiplusError):
    status_code = 502
    code = "federation_failed"
    default_message = N_("The federated run did not finish: {reason}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def write_app(folder: Path, plan: Plan) -> Path:
    """A minimal Flower App bundle: metadata, our two components, the plan as config."""
    folder.mkdir(parents=True, exist_ok=True)
    config = "\n".join(f"{key} = {_toml_value(value)}" for key, value in plan.to_config().items())
    (folder / "pyproject.toml").write_text(f"""[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "aiplus-federated"
version = "1.0.0"
description = "AI Plus federated credit model"
license = "Apache-2.0"
dependencies = []

[tool.hatch.build.targets.wheel]
packages = ["."]

[tool.flwr.app]
publisher = "aiplus"

[tool.flwr.app.components]
serverapp = "aiplus.federated.server.app:app"
clientapp = "aiplus.federated.client.app:app"

[tool.flwr.app.config]
{config}
""")
    return folder


def deploy(plan: Plan, wire_dir: str) -> None:
    """Start the processes, submit the run, wait for the coordinator's results, stop all."""
    work = Path(plan.out_dir).parent / "deployment"
    home = work / "flwr-home"
    home.mkdir(parents=True, exist_ok=True)
    link = free_port()  # the SuperLink serves its Fleet, Control and Runtime APIs on one port
    (home / "config.toml").write_text(
        f'[superlink]\ndefault = "loopback"\n\n[superlink.loopback]\n'
        f'address = "127.0.0.1:{link}"\ninsecure = true\n')
    env = {**os.environ, "FLWR_HOME": str(home), WIRE_DIR_ENV: wire_dir,
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    with ExitStack() as stack:
        def start(name: str, *args: str) -> subprocess.Popen[bytes]:
            log = stack.enter_context((logs / f"{name}.log").open("wb"))
            proc = subprocess.Popen([str(BIN / args[0]), *args[1:]], env=env, stdout=log,
                                    stderr=subprocess.STDOUT, cwd=work)
            stack.callback(_stop, proc)
            return proc

        start("superlink", "flower-superlink", "--insecure", "--host", "127.0.0.1",
              "--port", str(link))
        _wait_port(link, logs)
        for index in range(plan.participants):
            data = Path(plan.data_dir) / f"partition-{index}.npz"
            start(f"supernode-{index}", "flower-supernode", "--insecure",
                  "--superlink", f"127.0.0.1:{link}", "--port", str(free_port()),
                  "--node-config", f"partition-id={index} data-path='{data}'")
        app = write_app(work / "app", plan)
        submit = subprocess.run([str(BIN / "flwr"), "run", str(app), "loopback"], env=env,
                                cwd=work, capture_output=True, text=True, timeout=120,
                                check=False)
        if submit.returncode != 0:
            raise DeploymentFailed(reason=(submit.stdout + submit.stderr)[-500:])
        _wait_for(Path(plan.out_dir) / JOURNAL_FILE, logs)


def _wait_port(port: int, logs: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    tail = (logs / "superlink.log").read_text(errors="replace")[-500:]
    raise DeploymentFailed(reason=f"the SuperLink did not start: {tail}")


def _wait_for(path: Path, logs: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if path.exists():
            return
        time.sleep(0.5)
    tail = (logs / "superlink.log").read_text(errors="replace")[-500:]
    raise DeploymentFailed(reason=f"no result after {TIMEOUT_S:.0f} s; superlink log: {tail}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
