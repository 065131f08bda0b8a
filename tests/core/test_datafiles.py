"""Packaged YAML data: a defect in a file is reported with the file and the entry."""

import pytest
from pydantic import BaseModel

from aiplus.core.datafiles import DataFileError, load_yaml, parse_yaml


class Entry(BaseModel):
    name: str
    sizes: tuple[int, ...]


class Listing(BaseModel):
    entries: tuple[Entry, ...]


def test_a_valid_file_becomes_the_model() -> None:
    found = parse_yaml("entries:\n- {name: a, sizes: [1, 2]}\n", "x/list.yaml", Listing)
    assert found.entries[0].sizes == (1, 2)


@pytest.mark.parametrize("text, expected", [
    ("entries:\n- {name: a, sizes: [1, two]}\n",
     "entries.0.sizes.1: Input should be a valid integer"),
    ("entries:\n- {name: a}\n", "entries.0.sizes: Field required"),
    ("entries: [\n", "line 2, column 1: did not find expected node content"),
    ("", "(top level): Input should be a valid dictionary"),
])
def test_a_defect_names_the_file_and_the_entry(text: str, expected: str) -> None:
    with pytest.raises(DataFileError) as raised:
        parse_yaml(text, "x/list.yaml", Listing)
    assert str(raised.value).startswith("x/list.yaml is not valid:")
    assert expected in str(raised.value)


def test_a_missing_file_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="aiplus/core/absent.yaml"):
        load_yaml("aiplus.core", "absent.yaml", Listing)
