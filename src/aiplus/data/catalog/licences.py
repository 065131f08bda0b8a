"""Licences a dataset may carry (CKAN ``license_list``), DATA.GOV.HK's terms first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str
    title: str
    title_zh: str
    url: str
    od_conformance: str = "approved"

    def title_in(self, locale: str) -> str:
        return self.title_zh if locale == "zh-Hant" else self.title

    def as_ckan(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "url": self.url,
                "od_conformance": self.od_conformance, "osd_conformance": "not reviewed",
                "status": "active", "maintainer": "", "family": "", "domain_content": True,
                "domain_data": True, "domain_software": False, "is_generic": False}


LICENCES: dict[str, Licence] = {lic.id: lic for lic in (
    Licence("hk-dgh-terms", "DATA.GOV.HK Terms and Conditions", "資料一線通條款及細則",
            "https://data.gov.hk/en/terms-and-conditions"),
    Licence("cc-by", "Creative Commons Attribution 4.0", "創作共用 署名 4.0",
            "https://creativecommons.org/licenses/by/4.0/"),
    Licence("cc-by-sa", "Creative Commons Attribution Share-Alike 4.0",
            "創作共用 署名－相同方式共享 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("cc-zero", "Creative Commons CCZero", "創作共用 CC0（公眾領域）",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    Licence("odc-by", "Open Data Commons Attribution License", "開放數據共享 署名授權",
            "https://opendatacommons.org/licenses/by/1-0/"),
    Licence("ogl-uk-3.0", "Open Government Licence 3.0 (United Kingdom)",
            "開放政府授權 3.0（英國）",
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"),
    Licence("other-closed", "Other (Not Open)", "其他（非開放）", "", "not reviewed"),
)}
