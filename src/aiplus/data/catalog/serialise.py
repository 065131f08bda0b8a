"""Catalogue rows as CKAN 2.10 dictionaries, with our bilingual ``*_translated`` fields."""

from __future__ import annotations

from typing import Any

from aiplus.core.identity import Organisation
from aiplus.data.catalog.licences import LICENCES
from aiplus.data.catalog.links import download_path
from aiplus.data.catalog.tables import Dataset, Group, Resource


def pick(en: str, zh: str, locale: str) -> str:
    """The text in ``locale``, falling back to the other language when it is missing."""
    first, second = (zh, en) if locale == "zh-Hant" else (en, zh)
    return first or second


def organization_dict(org: Organisation, locale: str, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": org.slug, "name": org.slug, "title": pick(org.name_en, org.name_zh, locale),
        "display_name": pick(org.name_en, org.name_zh, locale),
        "title_translated": {"en": org.name_en, "zh-Hant": org.name_zh},
        "type": "organization", "is_organization": True, "state": "active",
        "approval_status": "approved", "description": "", "image_url": "",
        "created": org.created_at.isoformat(), "kind": org.kind,
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(group: Group, locale: str, package_count: int | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": group.id, "name": group.name, "title": pick(group.title_en, group.title_zh, locale),
        "display_name": pick(group.title_en, group.title_zh, locale),
        "title_translated": {"en": group.title_en, "zh-Hant": group.title_zh},
        "description": pick(group.description_en, group.description_zh, locale),
        "type": "group", "is_organization": False, "state": "active", "image_url": "",
        "approval_status": "approved", "created": group.created_at.isoformat(),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def resource_url(resource: Resource) -> str:
    """An uploaded file's path on this portal (made absolute per request, see :mod:`links`);
    any other resource's URL as its publisher gave it."""
    if resource.url_type == "upload" and resource.file_key:
        return download_path(resource.dataset.name, resource.id, resource.file_key)
    return resource.url


def resource_dict(resource: Resource, locale: str) -> dict[str, Any]:
    return {
        "id": resource.id,
        "package_id": resource.dataset_id,
        "position": resource.position,
        "name": pick(resource.name_en, resource.name_zh, locale),
        "name_translated": {"en": resource.name_en, "zh-Hant": resource.name_zh},
        "description": pick(resource.description_en, resource.description_zh, locale),
        "description_translated": {"en": resource.description_en,
                                   "zh-Hant": resource.description_zh},
        "format": resource.format,
        "url": resource_url(resource),
        "url_type": resource.url_type,
        "mimetype": resource.mimetype or None,
        "size": resource.size,
        "hash": resource.sha256,
        "datastore_active": resource.datastore_active,
        "created": resource.created_at.isoformat(),
        "last_modified": resource.modified_at.isoformat(),
        "metadata_modified": resource.modified_at.isoformat(),
        "state": "active",
    }


def package_dict(dataset: Dataset, locale: str) -> dict[str, Any]:
    licence = LICENCES.get(dataset.licence_id)
    resources = [resource_dict(r, locale) for r in dataset.resources]
    tags = [{"id": str(t.id), "name": t.name, "display_name": t.name, "state": "active",
             "vocabulary_id": None} for t in sorted(dataset.tags, key=lambda t: t.name)]
    return {
        "id": dataset.id,
        "name": dataset.name,
        "type": "dataset",
        "title": pick(dataset.title_en, dataset.title_zh, locale),
        "title_translated": {"en": dataset.title_en, "zh-Hant": dataset.title_zh},
        "notes": pick(dataset.notes_en, dataset.notes_zh, locale),
        "notes_translated": {"en": dataset.notes_en, "zh-Hant": dataset.notes_zh},
        "owner_org": dataset.organisation.slug,
        "organization": organization_dict(dataset.organisation, locale),
        "license_id": dataset.licence_id,
        "license_title": licence.title_in(locale) if licence else dataset.licence_id,
        "license_url": licence.url if licence else "",
        "isopen": bool(licence and licence.od_conformance == "approved"),
        "update_frequency": dataset.update_frequency,
        "state": dataset.state,
        "private": dataset.private,
        "classification": dataset.classification,
        "personal_data": dataset.personal_data,
        "cross_boundary_gba": dataset.cross_boundary_gba,
        "gba_record": dataset.gba_record,
        "provenance": dataset.provenance,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "url": dataset.url,
        "version": dataset.version,
        "spatial": dataset.spatial,
        "extras": [{"key": k, "value": v} for k, v in sorted(dataset.extras.items())],
        "tags": tags,
        "num_tags": len(tags),
        "groups": [group_dict(g, locale) for g in sorted(dataset.groups, key=lambda g: g.name)],
        "resources": resources,
        "num_resources": len(resources),
        "revision": dataset.revision,
        "creator_user_id": dataset.creator,
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.modified_at.isoformat(),
    }
