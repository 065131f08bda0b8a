"""The catalogue as the DCAT endpoints see it: public, active datasets only."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from aiplus.core.errors import Forbidden, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identity import ANONYMOUS
from aiplus.data.catalog.service import Catalog
from aiplus.platform.security import platform_of


class PublicCatalog:
    def __init__(self, catalog: Catalog, base_url: str) -> None:
        self.catalog = catalog
        self.base_url = base_url

    def page(self, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
        return self.catalog.page(page, page_size)

    def get(self, id_or_name: str) -> dict[str, Any]:
        try:
            return self.catalog.show(ANONYMOUS, id_or_name)
        except Forbidden:
            raise NotFound(N_("Dataset not found.")) from None

    def catalog_meta(self) -> dict[str, Any]:
        return {
            "title": {"en": "AI Plus open data catalogue", "zh-Hant": "AI Plus 開放數據目錄"},
            "description": {
                "en": "Datasets published by Hong Kong bureaux, departments and partners.",
                "zh-Hant": "香港各政策局、部門及合作機構發佈的數據集。"},
            "publisher": {"name": "AI Plus open data portal", "homepage": self.base_url},
            "homepage": self.base_url,
        }


def public_catalog(request: Request) -> PublicCatalog:
    return PublicCatalog(Catalog(platform_of(request).db), str(request.base_url).rstrip("/"))
