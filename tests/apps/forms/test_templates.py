"""Templates are data: the IDP template covers every field the issue lists, a department's
new template parses from YAML alone, and malformed templates are refused."""

from __future__ import annotations

import pytest
import yaml

from aiplus.apps.forms.templates import available, load, parse
from aiplus.core.errors import NotFound

pytestmark = pytest.mark.nodb


def test_the_idp_template_covers_the_issue() -> None:
    template = load("idp")
    assert (template.id, template.version) == ("idp", 1)
    assert {spec.name for spec in template.fields} == {
        "name_en", "name_zh", "id_number", "date_of_birth", "address", "phone", "email",
        "licence_number", "licence_expiry", "permit_valid_from", "declaration_date",
        "signature", "photo"}
    assert all(spec.label_en and spec.label_zh for spec in template.fields)
    assert template.cross_checks[0].template in available()


def test_a_new_form_is_only_data() -> None:
    raw = yaml.safe_load("""
id: parking
version: 3
title: {en: Parking permit, zh: 泊車許可證}
page: {width: 1240, height: 1754}
review_threshold: 0.9
min_anchor_share: 0.5
fields:
  - {name: plate, label: {en: Plate, zh: 車牌}, type: text, box: [0.4, 0.1, 0.9, 0.14],
     validators: [required]}
""")
    template = parse(raw)
    assert template.field("plate").label == "車牌 Plate" and template.version == 3


@pytest.mark.parametrize("change", [{"type": "colour"}, {"box": [0.9, 0.1, 0.4, 0.2]}])
def test_malformed_fields_are_refused(change: dict[str, object]) -> None:
    raw = {"id": "x", "version": 1, "title": {"en": "X", "zh": "X"},
           "page": {"width": 10, "height": 10}, "review_threshold": 0.9, "min_anchor_share": 0.5,
           "fields": [{"name": "a", "label": {"en": "A", "zh": "甲"}, "type": "text",
                       "box": [0.1, 0.1, 0.2, 0.2], **change}]}
    with pytest.raises(ValueError):
        parse(raw)


def test_an_unknown_template_is_not_found() -> None:
    with pytest.raises(NotFound):
        load("../../etc/passwd")
