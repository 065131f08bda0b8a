"""The platform's one upload reader: sniffing, size, archive, GZIP and image bombs, the
parsing worker, and a bomb of every format through the real HTTP app.

The bombs are real: a member of 1 GiB of zeros, deflated (about 1 MB on the wire, as the
security probe's 2.85 MB XLSX expanding to ~1 GB). They are built in milliseconds by
repeating one independently-flushed deflate block, so each test stays well under a second.
Every refusal's time is collected and printed at the end of the module.
"""

from __future__ import annotations

import asyncio
import io
import json
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select
from starlette.datastructures import UploadFile

import aiplus
from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.core.settings import Settings
from aiplus.platform import uploads
from aiplus.platform.services import Platform
from aiplus.platform.uploads import Limits, check_upload, read_upload, sniff
from tests.factories import Factory, Member

MiB = 1024 * 1024
GiB = 1024 * MiB
REFUSALS: dict[str, float] = {}
"""Seconds from request to refusal, per format and endpoint (printed after the module)."""


@pytest.fixture(scope="module", autouse=True)
def _report_refusal_times(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if REFUSALS:
        line = "\nbomb refusal times (s): " + json.dumps(
            {name: round(seconds, 3) for name, seconds in sorted(REFUSALS.items())})
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if capture is None:
            print(line)
            return
        with capture.global_and_fixture_disabled():
            print(line)


# -- building bombs -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 1 MiB) and its CRC-32.

    A full flush resets the compressor, so one compressed MiB can be repeated as is.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * MiB) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, chunk = 0, b"\0" * MiB
    for _ in range(size // MiB):
        crc = zlib.crc32(chunk, crc)
    return block * (size // MiB) + b"\x03\x00", crc


def raw_zip(members: list[tuple[str, bytes | int]], *, flags: int = 0) -> bytes:
    """A zip archive written by hand, so a member can be ``int`` bytes of deflated zeros
    without inflating them here. Sizes stay under 4 GiB (no Zip64 needed)."""
    body, directory = b"", b""
    for name, payload in members:
        if isinstance(payload, int):
            data, size = zeros_deflated(payload)[0], payload
            crc = zeros_deflated(payload)[1]
        else:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(payload) + compressor.flush()
            size, crc = len(payload), zlib.crc32(payload)
        encoded = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, 0, crc, len(data),
                             size, len(encoded), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, 0, crc,
                                 len(data), size, len(encoded), 0, 0, 0, 0, 0, len(body))
        directory += encoded
        body += header + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), len(body), 0)
    return body + directory + end


CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"/>')
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def xlsx_bomb() -> bytes:
    return raw_zip([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", b"<workbook/>"),
                    ("xl/worksheets/sheet1.xml", GiB)])


def docx_bomb() -> bytes:
    return raw_zip([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", GiB)])


def ods_bomb() -> bytes:
    return raw_zip([("mimetype", ODS_MIMETYPE), ("content.xml", GiB)])


def zip_bomb() -> bytes:
    return raw_zip([("readings.csv", GiB)])


def gzip_bomb() -> bytes:
    data, crc = zeros_deflated(GiB)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + data
            + struct.pack("<II", crc, GiB % 2**32))


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size in its header and holds (almost) no pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b""))


def image_bytes(fmt: str, size: tuple[int, int] = (16, 12)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


def jpeg_header(width: int, height: int) -> bytes:
    """A real tiny JPEG whose start-of-frame marker is rewritten to claim ``width`` x
    ``height`` (at most 65,535 each, as JPEG allows)."""
    data = bytearray(image_bytes("JPEG"))
    frame = data.index(b"\xff\xc0")
    data[frame + 5:frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def ods_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>",
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", b"<manifest/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["district", "people"])
    book.active.append(["Sha Tin", 700000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Licensing policy review.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BOMBS = {"xlsx": ("bomb.xlsx", xlsx_bomb), "docx": ("bomb.docx", docx_bomb),
         "ods": ("bomb.ods", ods_bomb), "zip": ("bomb.zip", zip_bomb),
         "gzip": ("readings.csv.gz", gzip_bomb),
         "png": ("photo.png", lambda: png_header(60_000, 60_000)),
         "jpeg": ("photo.jpg", lambda: jpeg_header(65_000, 65_000))}
MESSAGES = {"xlsx": "zip bomb", "docx": "zip bomb", "ods": "zip bomb", "zip": "zip bomb",
            "gzip": "decompression bomb", "png": "megapixels", "jpeg": "megapixels"}


# -- sniffing -------------------------------------------------------------------------------

MAGICS = {"pdf": b"%PDF-1.7\n", "zip": b"PK\x03\x04\x14\x00", "gzip": b"\x1f\x8b\x08\x00",
          "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff\xe0", "gif": b"GIF89a",
          "webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ", "tiff": b"II*\x00",
          "wav": b"RIFF\x10\x00\x00\x00WAVEfmt ",
          "heif": b"\x00\x00\x00\x18ftypheic", "mp4": b"\x00\x00\x00\x18ftypM4A ",
          "ogg": b"OggS\x00", "webm": b"\x1a\x45\xdf\xa3", "flac": b"fLaC",
          "mp3": b"ID3\x04\x00", "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "elf": b"\x7fELF",
          "exe": b"MZ\x90\x00"}


@given(family=st.sampled_from(sorted(MAGICS)), tail=st.binary(max_size=200))
def test_the_first_bytes_decide_the_family(family: str, tail: bytes) -> None:
    assert sniff(MAGICS[family] + tail) == family


def _has_a_magic(data: bytes) -> bool:
    return (data.startswith(tuple(magic for magic, _ in uploads.SIGNATURES))
            or data.startswith((b"RIFF", b"BZh", b"MZ")) or data[4:8] == b"ftyp")


@given(st.text(min_size=1).filter(lambda t: "\x00" not in t))
def test_text_is_text_in_any_script(text: str) -> None:
    data = text.encode("utf-8")
    if not _has_a_magic(data):
        assert sniff(data) == "text"
    assert sniff(b"\xef\xbb\xbf" + data) == "text"  # a byte-order mark is decisive
    assert sniff(text.encode("utf-16")) == "text"


@given(claimed=st.sampled_from(["report.pdf", "files.zip", "rows.csv.gz", "photo.png",
                                "call.wav", "rows.csv", "data.json"]),
       family=st.sampled_from(sorted(MAGICS)), tail=st.binary(max_size=50))
def test_a_name_the_content_contradicts_is_refused(claimed: str, family: str,
                                                   tail: bytes) -> None:
    expected = uploads.EXTENSIONS[uploads.declared_kind(claimed) or ""]
    agrees = uploads._agrees(expected, family)
    try:
        uploads.identify(claimed, MAGICS[family] + tail)
    except UnsupportedMediaType as refused:
        assert not agrees and refused.params["extension"] in claimed
    else:
        assert agrees


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("rows.CSV", b"a,b\n1,2\n", "csv"), ("blob", b"RIFF\x10\x00\x00\x00WAVEfmt ", "wav"),
    ("photo.jpg", image_bytes("PNG"), "png"),  # images stand in for images
    ("x.bin", b"GIF89a...", "gif"), ("notes", "會議紀錄".encode(), "txt"),
    ("x.csv", b"\x00\x01", "csv"),  # unreadable bytes under a text name: the parser decides
    ("upload.htm", b"<p>hi</p>", "html"), ("IMG_1.HEIC", MAGICS["heif"], "heic"),
])
def test_kinds_come_from_name_and_content(name: str, data: bytes, kind: str) -> None:
    assert uploads.identify(name, data)[0] == kind


@pytest.mark.parametrize(("name", "data"), [
    ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00"), ("rows.csv", b"PK\x03\x04rest"),
    ("call.wav", b"not audio at all, just text"), ("photo.png", b"%PDF-1.4"),
    ("rows.csv", b"\x7fELF\x02\x01"),
])
def test_renamed_binaries_are_refused(name: str, data: bytes) -> None:
    with pytest.raises(UnsupportedMediaType) as refused:
        check_upload(name, data)
    assert "is named" in str(refused.value)


# -- size and kinds -------------------------------------------------------------------------

class CountingFile(io.BytesIO):
    """A file that counts what was read from it: the reader must stop at limit + 1."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_the_size_limit_holds_while_streaming() -> None:
    source = CountingFile(b"a,b\n" + b"1,2\n" * 100_000)
    with pytest.raises(PayloadTooLarge) as refused:
        asyncio.run(read_upload(UploadFile(source, filename="rows.csv"), max_bytes=1000))
    assert source.taken == 1001 and refused.value.params == {"limit": 1000}
    checked = asyncio.run(read_upload(UploadFile(io.BytesIO(b"a,b\n1,2\n"),
                                                 filename="rows.csv"),
                                      max_bytes=1000, accept={"csv"}))
    assert (checked.kind, checked.family, checked.data) == ("csv", "text", b"a,b\n1,2\n")


def test_empty_files_and_unaccepted_kinds_are_refused() -> None:
    with pytest.raises(BadRequest, match="empty"):
        check_upload("rows.csv", b"")
    with pytest.raises(UnsupportedMediaType, match="not accepted"):
        check_upload("photo.png", image_bytes("PNG"), accept={"csv"})
    with pytest.raises(UnsupportedMediaType, match="Only CSV"):
        check_upload("photo.png", image_bytes("PNG"), accept={"csv"}, unsupported="Only CSV")


# -- archives -------------------------------------------------------------------------------

def test_real_documents_pass_and_say_what_they_are() -> None:
    assert check_upload("book.xlsx", xlsx_bytes()).kind == "xlsx"
    assert check_upload("upload", xlsx_bytes()).kind == "xlsx"  # no name: from its parts
    assert check_upload("review.docx", docx_bytes()).kind == "docx"
    assert check_upload("sheet.ods", ods_bytes()).kind == "ods"
    assert check_upload("files.zip", xlsx_bytes()).kind == "zip"  # as named, still checked
    with pytest.raises(BadRequest, match="not a valid DOCX"):
        check_upload("review.docx", xlsx_bytes())


@pytest.mark.parametrize(("members", "message"), [
    ([("a.csv", GiB)], "expands to 1024 MB"),
    ([("a.csv", 5 * MiB)], "is compressed 10"),
    ([(f"{n}.txt", b"x") for n in range(11)], "holds 11 files"),
    ([("inner.zip", b"PK\x05\x06" + b"\0" * 18)], "another archive"),
    ([("inner.bin", b"\x1f\x8b\x08\x00" + b"\0" * 20)], "another archive"),
])
def test_archive_bombs_are_refused_on_their_directory(members: list[tuple[str, bytes | int]],
                                                      message: str) -> None:
    limits = Limits(max_members=10, max_expanded_bytes=200 * MiB, max_ratio=100,
                    max_pixels=50_000_000)
    with pytest.raises(BadRequest) as refused:
        uploads.check_archive(raw_zip(members), "zip", limits)
    assert message in str(refused.value), refused.value


def test_overlapping_encrypted_and_damaged_archives_are_refused() -> None:
    one = raw_zip([("a.txt", b"hello " * 100)])
    body_end = one.index(b"PK\x01\x02")
    entry = one[body_end:one.index(b"PK\x05\x06")]
    # Fifield's "better zip bomb": several directory entries pointing at one body.
    overlapping = one[:body_end] + entry * 40 + struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, 40, 40, len(entry) * 40, body_end, 0)
    with pytest.raises(BadRequest, match="overlap"):
        uploads.check_archive(overlapping)
    with pytest.raises(BadRequest, match="password"):
        uploads.check_archive(raw_zip([("a.txt", b"secret")], flags=1))
    with pytest.raises(BadRequest, match="damaged"):
        check_upload("files.zip", b"PK\x03\x04 not a zip at all")


def test_office_embeddings_may_be_archives_elsewhere_not() -> None:
    embedded = raw_zip([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", b"<w/>"),
                        ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx_bytes())])
    assert check_upload("chart.docx", embedded).kind == "docx"
    with pytest.raises(BadRequest, match="another archive"):
        check_upload("files.zip", raw_zip([("book.xlsx", xlsx_bytes())]))


def test_gzip_is_inflated_in_a_stream_with_a_cap() -> None:
    import gzip

    rows = b"district,people\n" + b"Sha Tin,700000\n" * 2000
    assert check_upload("rows.csv.gz", gzip.compress(rows) + gzip.compress(rows)).kind == "gz"
    with pytest.raises(BadRequest, match="damaged"):
        check_upload("rows.csv.gz", gzip.compress(rows)[:-12])
    with pytest.raises(BadRequest, match="another archive"):
        check_upload("files.gz", gzip.compress(xlsx_bytes()))
    started = time.perf_counter()
    with pytest.raises(BadRequest, match="decompression bomb"):
        check_upload("rows.csv.gz", gzip_bomb())
    assert time.perf_counter() - started < 2  # stops at 100 x its size, not at 1 GiB


# -- images ---------------------------------------------------------------------------------

def test_pixels_are_counted_from_the_header_before_decoding() -> None:
    assert check_upload("photo.png", image_bytes("PNG", (4000, 3000))).kind == "png"
    assert check_upload("photo.webp", image_bytes("WEBP")).kind == "webp"
    assert check_upload("scan.tif", image_bytes("TIFF")).kind == "tiff"
    with pytest.raises(BadRequest, match="56 megapixels; at most 50"):
        check_upload("photo.png", png_header(8000, 7000))  # under Pillow's own limit
    with pytest.raises(BadRequest, match="3,600 megapixels"):
        check_upload("photo.png", png_header(60_000, 60_000))  # past Pillow's: its error
    with pytest.raises(BadRequest, match="4,225 megapixels"):
        check_upload("photo.jpg", jpeg_header(65_000, 65_000))
    with pytest.raises(BadRequest, match="at most 12"):
        check_upload("photo.png", image_bytes("PNG", (4000, 3001)),
                     limits=Limits(10, MiB, 100, 12_000_000))
    with pytest.raises(BadRequest, match="damaged"):
        check_upload("photo.png", b"\x89PNG\r\n\x1a\n broken")


def test_heic_headers_are_read_through_pillow_heif() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    try:
        Image.new("RGB", (64, 48), "white").save(buffer, "HEIF")
    except (KeyError, OSError, ValueError):
        pytest.skip("this pillow-heif cannot encode HEIF")
    assert check_upload("IMG_0001.HEIC", buffer.getvalue()).kind == "heic"


def test_the_repositorys_own_files_pass() -> None:
    root = Path(aiplus.__file__).parent
    files = [path for pattern in ("**/*.csv", "**/*.json", "**/*.geojson", "**/*.png",
                                  "**/*.gz", "**/*.yaml")
             for path in root.glob(pattern)]
    assert len(files) > 40
    for path in files:
        check_upload(path.name, path.read_bytes())


# -- the parsing worker ---------------------------------------------------------------------

def test_parse_in_a_worker_matches_parse_and_keeps_its_errors() -> None:
    from aiplus.data.datastore import IngestError, parse
    from aiplus.data.pipeline import parse_isolated

    data = b"district,people,opened\nSha Tin,700000,2025-01-02\nTai Po,,2025-02-03\n"
    here, there = parse(data, "csv"), parse_isolated(data, "csv", MiB)
    assert there.columns == here.columns and there.row_count == here.row_count
    assert list(there.rows()) == list(here.rows()) == list(there.rows())
    assert there.report() == here.report()
    with pytest.raises(IngestError, match="line 2"):
        parse_isolated(b"a,b\n1,2,3\n", "csv", MiB)


def test_a_worker_past_its_memory_or_time_is_stopped_and_replaced() -> None:
    limits = {"memory_bytes": 64 * MiB, "seconds": 30.0}  # no preload: a light worker
    assert uploads.run_limited(sum, [1, 2, 3], **limits) == 6
    with pytest.raises(uploads.WorkerLimitExceeded, match="more than 64 MB of memory"):
        uploads.run_limited(bytearray, 512 * MiB, **limits)
    with pytest.raises(ValueError, match="invalid literal"):
        uploads.run_limited(int, "not a number", **limits)  # errors come back as they are
    started = time.perf_counter()
    with pytest.raises(uploads.WorkerLimitExceeded, match="longer than 0.3 seconds"):
        uploads.run_limited(time.sleep, 30, memory_bytes=64 * MiB, seconds=0.3)
    assert time.perf_counter() - started < 5
    assert uploads.run_limited(sum, [4, 5], **limits) == 9  # a fresh worker took over


# -- bombs through the real HTTP app --------------------------------------------------------

@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Bombs of ~1 MB must reach the reader: the test body limit (64 KiB) is raised."""
    return settings.model_copy(update={"max_body_bytes": 4 * MiB})


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def timed_post(name: str, client: TestClient, url: str, **kwargs: Any) -> Response:
    started = time.perf_counter()
    response = client.post(url, **kwargs)
    REFUSALS[name] = time.perf_counter() - started
    return response


@pytest.fixture
def steward(factory: Factory) -> Member:
    return factory.member("steward", org="hk-td", role="data_steward")


@pytest.fixture
def dataset(client: TestClient, steward: Member) -> str:
    from tests.data.catalog.conftest import journey_times

    response = client.post("/api/3/action/package_create", json=journey_times(resources=[]),
                           headers={"Authorization": steward.token})
    assert response.status_code == 200, response.text
    return response.json()["result"]["id"]


@pytest.mark.parametrize("fmt", sorted(BOMBS))
def test_open_data_refuses_every_bomb_and_stores_nothing(
        fmt: str, client: TestClient, platform: Platform, steward: Member, dataset: str) -> None:
    from aiplus.data.catalog.tables import Resource, ResourceVersion

    filename, make = BOMBS[fmt]
    response = timed_post(f"opendata/{fmt}", client, "/api/3/action/resource_create",
                          headers={"Authorization": steward.token},
                          data={"package_id": dataset, "name": "Bomb"},
                          files={"upload": (filename, make())})
    assert response.status_code == 409, response.text  # CKAN's Validation Error on upload
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert MESSAGES[fmt] in error["upload"][0] and MESSAGES[fmt] in error["message"]
    assert REFUSALS[f"opendata/{fmt}"] < 5
    with platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Resource)) == 0
        assert session.scalar(select(func.count()).select_from(ResourceVersion)) == 0
    assert stored_files(platform.settings.files_dir) == []


def test_open_data_refusals_are_bilingual_and_real_files_still_load(
        client: TestClient, platform: Platform, steward: Member, dataset: str) -> None:
    headers = {"Authorization": steward.token, "Accept-Language": "zh-HK"}
    refused = client.post("/api/3/action/resource_create", headers=headers,
                          data={"package_id": dataset},
                          files={"upload": ("bomb.xlsx", xlsx_bomb())})
    assert refused.status_code == 409 and "壓縮炸彈" in refused.json()["error"]["upload"][0]
    renamed = client.post("/api/3/action/resource_create", headers=headers,
                          data={"package_id": dataset},
                          files={"upload": ("districts.csv", image_bytes("PNG"))})
    assert renamed.status_code == 409 and ".csv" in renamed.json()["error"]["upload"][0]
    loaded = client.post("/api/3/action/resource_create", headers=headers,
                         data={"package_id": dataset, "name": "Districts"},
                         files={"upload": ("districts.xlsx", xlsx_bytes())})
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["result"]["datastore_active"] is True


def test_the_portal_form_refuses_a_bomb_on_the_page(
        client: TestClient, platform: Platform, steward: Member, dataset: str) -> None:
    from tests.data.catalog.test_portal_pages import sign_in

    token = sign_in(client, steward.username)
    dataset_name = "journey-time-indicators"
    response = timed_post("portal/xlsx", client, f"/data/dataset/{dataset_name}/upload",
                          data={"csrf_token": token}, files={"file": ("bomb.xlsx", xlsx_bomb())})
    assert response.status_code == 422 and "zip bomb" in response.text
    assert stored_files(platform.settings.files_dir) == []


@pytest.fixture
def officer(factory: Factory) -> Member:
    return factory.member("olive", "hk-td")


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "zip", "png"])
def test_the_copilot_refuses_bombs_and_stores_nothing(
        fmt: str, client: TestClient, platform: Platform, officer: Member) -> None:
    from aiplus.apps.copilot.tables import Document

    filename, make = BOMBS[fmt]
    response = timed_post(f"copilot/{fmt}", client, "/api/copilot/documents",
                          headers=officer.headers, files={"file": (filename, make())})
    if fmt == "png":  # not a kind the copilot reads: refused as such
        assert response.status_code == 415, response.text
    else:  # any zip archive is inspected first, whatever the endpoint reads
        assert response.status_code == 400, response.text
        assert "zip bomb" in response.json()["error"]["message"]
    with platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    assert stored_files(platform.settings.files_dir / "copilot") == []


@pytest.fixture
def applicant(platform: Platform, factory: Factory) -> Member:
    platform.migrate()
    return factory.member("amy-applicant", org="hk-td", role="public", password=None)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "docx", "gzip"])
def test_the_forms_service_refuses_image_bombs_on_their_header(
        fmt: str, client: TestClient, platform: Platform, applicant: Member) -> None:
    from aiplus.apps.forms.tables import Submission

    filename, make = BOMBS[fmt]
    response = timed_post(f"forms/{fmt}", client, "/api/forms/extract",
                          headers=applicant.headers, files={"file": (filename, make())})
    if fmt == "gzip":  # not a kind the forms read: refused before it is inflated
        assert response.status_code == 415, response.text
    else:
        assert response.status_code == 400, response.text
        assert MESSAGES[fmt] in response.json()["error"]["message"]
    chinese = client.post("/api/forms/extract",
                          headers={**applicant.headers, "Accept-Language": "zh-HK"},
                          files={"file": (filename, make())})
    assert chinese.status_code == response.status_code
    assert not chinese.json()["error"]["message"].isascii()
    with platform.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


@hypothesis_settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["a.csv", "a.xlsx", "a.docx", "a.ods", "a.zip", "a.gz", "a.png",
                             "a.jpg", "a.gif", "a.webp", "a.tif", "a.heic", "a.wav", "a",
                             "a.pdf", "a.bin"]),
       magic=st.sampled_from([b"", *MAGICS.values(), b"PK\x05\x06", b"\x89PNG\r\n\x1a\n"
                              b"\x00\x00\x00\rIHDR"]),
       tail=st.binary(max_size=300))
def test_any_bytes_get_an_answer_never_a_crash(name: str, magic: bytes, tail: bytes) -> None:
    """Whatever arrives, the reader accepts it or refuses it with a platform error (a 4xx):
    a parser's own exception escaping would be a 500."""
    try:
        check_upload(name, magic + tail)
    except (BadRequest, UnsupportedMediaType):
        pass
