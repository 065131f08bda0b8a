"""Dataset classification and what each class allows.

* ``public`` - may be published to the open catalogue, *if* it holds no personal data.
* ``internal`` - for use inside government / the owning organisation only.
* ``restricted`` - for named people or partners with a need to know, under an agreement.

Personal data never goes to the open catalogue, whatever the classification says.
"""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"

    @property
    def label(self) -> dict[str, str]:
        return _LABELS[self]

    @classmethod
    def parse(cls, value: str | Classification) -> Classification:
        """``"public"``, ``" Internal "``, ``"公開"``... -> a Classification (ValueError if not)."""
        if isinstance(value, Classification):
            return value
        text = str(value).strip()
        for member in cls:
            if text.lower() == member.value or text in _LABELS[member].values():
                return member
        raise ValueError(f"unknown classification {value!r}; use public, internal or restricted")


_LABELS: dict[Classification, dict[str, str]] = {
    Classification.PUBLIC: {"en": "Public", "zh-Hant": "公開"},
    Classification.INTERNAL: {"en": "Internal", "zh-Hant": "內部"},
    Classification.RESTRICTED: {"en": "Restricted", "zh-Hant": "限閱"},
}


def may_publish_open(classification: str | Classification, personal: bool) -> bool:
    """The open-catalogue rule: only ``public`` datasets that hold no personal data."""
    return Classification.parse(classification) is Classification.PUBLIC and not personal
