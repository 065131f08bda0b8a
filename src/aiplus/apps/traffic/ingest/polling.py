"""Reading feeds for the polling job (:mod:`..jobs`): a URL, or every new file in a directory."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from aiplus.apps.traffic.ingest.store import FeedFile
from aiplus.core.errors import PayloadTooLarge, ValidationFailed
from aiplus.core.i18n import N_

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILES = 500
SUFFIXES = {".xml", ".json"}


INBOX = "traffic-inbox"


def read_location(location: str, inbox: Path) -> list[FeedFile]:
    """The files behind a location: an http(s) URL (one file) or a folder's feed files.

    Folders are confined to the platform's traffic inbox (``<files>/traffic-inbox``) so a
    job cannot be pointed at arbitrary server files.
    """
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=30) as reply:
            data = reply.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PayloadTooLarge(N_("The feed file is larger than {limit} MB."), limit=50)
        return [FeedFile(location, data)]
    folder = (inbox / location).resolve()
    if not folder.is_relative_to(inbox.resolve()) or not folder.is_dir():
        raise ValidationFailed(N_("The location is neither a URL nor a traffic inbox folder: "
                                  "{location}"),
                               location=location)
    files = sorted(path for path in folder.iterdir() if path.suffix.lower() in SUFFIXES)
    if len(files) > MAX_FILES:
        raise ValidationFailed(N_("The directory holds more than {count} feed files."),
                               count=MAX_FILES)
    found = []
    for path in files:
        if path.stat().st_size > MAX_FILE_BYTES:
            found.append(FeedFile(path.name, b"<too-large/>"))
        else:
            found.append(FeedFile(path.name, path.read_bytes()))
    return found
