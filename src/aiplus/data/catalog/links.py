"""Where an uploaded file is downloaded from.

A download link is built each time a resource is shown, from the address the caller used (or
the configured public URL behind a proxy), and never stored with a host in it: a portal
reached as ``https://data.example.hk`` and as ``http://10.0.0.5:8000`` must give each caller a
link that works from where they are. The catalogue stores the path only; callers that answer
over HTTP make it absolute with :func:`with_absolute_links`.
"""

from __future__ import annotations

import re
from typing import Any

from aiplus.core.identifiers import canonical_uuid

_DOWNLOAD = re.compile(r"/dataset/[^/?#]+/resource/([^/?#]+)/download/")


def stored_filename(file_key: str) -> str:
    """The uploader's file name inside a file-store key (``…/<stamp>-<name>``)."""
    return file_key.rsplit("/", 1)[-1].split("-", 1)[-1]


def download_path(dataset_name: str, resource_id: str, file_key: str) -> str:
    return (f"/dataset/{dataset_name}/resource/{resource_id}/download/"
            f"{stored_filename(file_key)}")


def uploaded_resource_id(url: str) -> str | None:
    """The resource a download link names, whatever host or port it was given for."""
    match = _DOWNLOAD.search(url)
    return canonical_uuid(match.group(1)) if match else None


def absolute(url: str, base_url: str) -> str:
    """A root-relative ``url`` on this portal's address; any other URL as it is."""
    return base_url.rstrip("/") + url if url.startswith("/") else url


def with_absolute_links(value: Any, base_url: str) -> Any:
    """``value`` (an action's result, built for this call) with every uploaded resource's
    path made absolute, in place: a page of search results is walked, not copied.

    Resources appear at any depth (a dataset's list, a search page, a revision), so the walk
    is generic; only dicts that say ``url_type: upload`` and hold a root-relative path change,
    and a URL already absolute stays as it is.
    """
    if isinstance(value, list):
        for item in value:
            with_absolute_links(item, base_url)
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, list | dict):
                with_absolute_links(item, base_url)
        url = value.get("url")
        if value.get("url_type") == "upload" and isinstance(url, str):
            value["url"] = absolute(url, base_url)
    return value
