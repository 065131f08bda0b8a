"""The generator's vocabulary file: valid as shipped, and a broken edit is named clearly."""

from importlib import resources

import pytest

from aiplus.apps.opendata.vocabulary import Vocabulary, vocabulary
from aiplus.core.datafiles import DataFileError, parse_yaml
from aiplus.data.catalog.groups import CATEGORIES

SHIPPED = resources.files("aiplus.apps.opendata").joinpath("vocabulary.yaml").read_text("utf-8")


def test_the_shipped_vocabulary_covers_every_category() -> None:
    words = vocabulary()
    assert {s.group for s in words.subjects} == {name for name, _, _ in CATEGORIES}
    assert len(words.districts) == 18 and words.publishers[0].slug == "hk-dpo"
    assert vocabulary() is words  # read once


@pytest.mark.parametrize("old, new, expected", [
    ("formats: [CSV, GeoJSON]", "formats: [CSV, GIF]",
     "subjects.0 (Public Toilets): format 'GIF' is not listed"),
    ("group: city-management", "group: city-managment",
     "subjects.0 (Public Toilets): unknown category 'city-managment'"),
    ("frequency: monthly", "frequency: fortnightly",
     "subjects.0 (Public Toilets): frequency 'fortnightly' is not listed"),
    ("kind: department}", "kind: ministry}", "publishers.0.kind: Input should be"),
    ("tags: [toilets, facilities, hygiene]", "tags: []",
     "subjects.0.tags: Tuple should have at least 1 item"),
    ("slug: hk-td,", "slug: hk-dpo,", "publishers: slug 'hk-dpo' appears twice"),
])
def test_a_broken_entry_is_named(old: str, new: str, expected: str) -> None:
    with pytest.raises(DataFileError) as raised:
        parse_yaml(SHIPPED.replace(old, new, 1), "vocabulary.yaml", Vocabulary)
    assert expected in str(raised.value)
