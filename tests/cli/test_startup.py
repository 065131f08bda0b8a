"""The command line starts without the heavy libraries: importing it, and listing every command
group with ``aiplus --help``, loads no model library, no web stack and no database layer. Each
test runs in a fresh interpreter, so what another test imported cannot hide an import."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import click
import pytest

from aiplus.cli import COMMANDS_GROUP, load_group
from aiplus.platform.registry import App, AppRegistry, ImpactRecord, MissingRequirement

HEAVY = ("torch", "sklearn", "lightgbm", "ray", "flwr", "pandas", "scipy", "numpy", "cv2",
         "onnxruntime", "fastapi", "sqlalchemy", "uvicorn")

PROBE = """
import json, sys
{code}
print(json.dumps(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def loaded_after(code: str) -> list[str]:
    script = PROBE.format(code=code, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert loaded_after("import aiplus.cli") == []


def test_help_lists_every_group_without_loading_a_heavy_library() -> None:
    code = ("from click.testing import CliRunner\nimport typer\nfrom aiplus.cli import cli\n"
            "result = CliRunner().invoke(typer.main.get_command(cli), ['--help'])\n"
            "assert result.exit_code == 0, result.output\n"
            "names = ('opendata', 'traffic', 'models', 'guard', 'assure')\n"
            "assert all(name in result.output for name in names), result.output")
    assert loaded_after(code) == []


@pytest.mark.parametrize("name", sorted(point.name for point in entry_points(group=COMMANDS_GROUP)))
def test_every_command_group_loads_with_its_commands(name: str) -> None:
    group = load_group(name)
    assert isinstance(group, click.Group) and group.commands
    assert group.name == name


def _app(slug: str, requires: tuple[str, ...]) -> App:
    from datetime import date

    from aiplus.core.i18n import Bilingual

    text = Bilingual("x", "x")
    return App(slug=slug, title=text, summary=text, seed_system=text, requires=requires,
               assessment=ImpactRecord("low", text, date(2026, 1, 1), "t", False, text))


def test_an_app_missing_what_it_requires_is_refused_by_name() -> None:
    with pytest.raises(MissingRequirement) as refused:
        AppRegistry([_app("needy", ("data", "no-such-app"))])
    assert "needy" in str(refused.value) and "no-such-app" in str(refused.value)
    AppRegistry([_app("needy", ("data", "friend")), _app("friend", ("models.registry",))])
