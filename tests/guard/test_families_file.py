"""The guard corpus's template families live in ``families.yaml``: valid as shipped, and an
edit that would break corpus building is refused when the file is read, naming the family."""

from importlib import resources

import pytest

from aiplus.core.datafiles import DataFileError, parse_yaml
from aiplus.guard.scanners.families import FamilyFile, expand, families

SHIPPED = resources.files("aiplus.guard.scanners").joinpath("families.yaml").read_text("utf-8")


def test_the_shipped_families_expand() -> None:
    found = families()
    assert {(f.label, f.lang) for f in found} == {
        (0, "en"), (0, "zh-Hant"), (0, "yue"), (1, "zh-Hant"), (1, "yue")}
    encoded = next(f for f in found if f.name == "zh-Hant/attack_encoded")
    assert all(len(list(expand(f, 5))) == 5 for f in found if f.stratum == "request")
    assert not any("{" in text for text in expand(encoded, 10))


@pytest.mark.parametrize("old, new, expected", [
    ("    - Summarise this {doc}.\n", "    - Summarise this {document}.\n",
     "en/summarise: template 'Summarise this {document}.' names slots without fillers: document"),
    ("    - Summarise this {doc}.\n", "    - Summarise this {doc.\n",
     "en/summarise: template 'Summarise this {doc.': expected '}'"),
    ("\nbenign:\n  en:\n", "\nbenign:\n  fr:\n", "benign.fr: not one of en, zh-Hant, yue"),
    ("payloads:\n", "payload:\n", "payloads: Field required"),
])
def test_a_broken_edit_is_named(old: str, new: str, expected: str) -> None:
    assert old in SHIPPED
    with pytest.raises(DataFileError) as raised:
        parse_yaml(SHIPPED.replace(old, new, 1), "families.yaml", FamilyFile)
    assert expected in str(raised.value)
