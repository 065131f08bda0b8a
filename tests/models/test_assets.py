"""Joining model weights from part packages: order, checksum, no half-written files."""

import hashlib
import sys

import pytest

from aiplus.models import assets

pytestmark = pytest.mark.nodb


@pytest.fixture
def part_packages(tmp_path, monkeypatch):
    """Two importable packages, each holding one part of a small 'model'."""
    site = tmp_path / "site"
    for name, payload in (("fakepart_one", b"first-half|"), ("fakepart_two", b"second-half")):
        folder = site / name / "data"
        folder.mkdir(parents=True)
        (site / name / "__init__.py").write_text("")
        (folder / "part.bin").write_bytes(payload)
    (site / "fakepart_one" / "data" / "tokenizer.json").write_text("{}")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("AIPLUS_MODEL_DIR", str(tmp_path / "cache"))
    yield
    for name in ("fakepart_one", "fakepart_two"):
        sys.modules.pop(name, None)


def _asset(sha256: str, size: int = 22) -> assets.Asset:
    return assets.Asset(
        name="fake", filename="fake/model.bin",
        parts=(assets.Part("fakepart_one", "data/part.bin"),
               assets.Part("fakepart_two", "data/part.bin")),
        sha256=sha256, size=size,
        companions=(assets.Part("fakepart_one", "data/tokenizer.json"),))


def test_parts_are_joined_in_order_and_verified(part_packages, tmp_path):
    good = hashlib.sha256(b"first-half|second-half").hexdigest()
    path = assets.ensure(_asset(good))
    assert path.read_bytes() == b"first-half|second-half"
    assert (path.parent / "tokenizer.json").exists()
    assert assets.verify(_asset(good))


def test_a_checksum_mismatch_leaves_nothing_behind(part_packages, tmp_path):
    with pytest.raises(assets.ModelMissing, match="SHA-256"):
        assets.ensure(_asset("0" * 64))
    folder = tmp_path / "cache" / "fake"
    assert not any(folder.iterdir())


def test_a_missing_part_package_is_named(part_packages):
    missing = assets.Asset(name="gone", filename="gone.bin",
                           parts=(assets.Part("no_such_part_package", "data/x.bin"),),
                           sha256="0" * 64, size=1)
    with pytest.raises(assets.ModelMissing, match="no_such_part_package"):
        assets.ensure(missing)


def test_the_pinned_assets_match_their_installed_parts():
    """The real weights: every part package is installed and the sizes add up."""
    for asset in assets.ASSETS.values():
        total = sum(part.path().stat().st_size for part in asset.parts)
        assert total == asset.size, asset.name


def test_models_assemble_exits_1_on_a_checksum_mismatch(part_packages, monkeypatch):
    from typer.testing import CliRunner

    from aiplus.models.cli import cli as models_cli

    good = hashlib.sha256(b"first-half|second-half").hexdigest()
    monkeypatch.setattr(assets, "ASSETS", {"fake": _asset(good)})
    assert CliRunner().invoke(models_cli, ["assemble"]).exit_code == 0

    monkeypatch.setattr(assets, "ASSETS", {"fake": _asset("0" * 64)})
    (assets.model_dir() / "fake" / "model.bin").unlink()
    result = CliRunner().invoke(models_cli, ["assemble"])
    assert result.exit_code == 1 and "SHA-256" in result.output
