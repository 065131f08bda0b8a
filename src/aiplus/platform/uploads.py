"""One door for every uploaded file: size, type from content, archive and image bombs.

Every upload endpoint reads its file through :func:`read_upload` (or, holding the bytes
already, :func:`check_upload`), so one set of rules protects the whole platform:

1. **Size while streaming.** At most ``max_bytes + 1`` bytes are read from the request: a
   larger file is refused (413) without reading the rest. An empty file is refused.
2. **Type from content.** The first bytes decide what a file is (its *family*: PDF, ZIP,
   GZIP, PNG, JPEG, WAV, text...); the name's extension is a claim that must agree with
   them, so a renamed binary is refused (415). An endpoint names the kinds it accepts.
3. **Archives before any parser.** XLSX, DOCX, ODS and ZIP are zip archives, and a 3 MB
   archive can inflate to gigabytes. The central directory is read (never the parts
   themselves) and the archive is refused when it has too many parts, expands past a total,
   has a part compressed far beyond what real documents reach, has overlapping parts (the
   "better zip bomb"), is encrypted, or holds another archive. The declared sizes are enough
   to decide: Python's ``zipfile``, which every parser here reads through (openpyxl,
   python-docx, odfpy), stops a part at its declared size and fails its CRC rather than
   inflating past it. GZIP has no directory, so it is inflated in a stream with a cap on the
   output, never whole.
4. **Pixels before decoding.** Pillow's ``Image.open`` reads only an image's header; the
   width times height it declares is compared with a limit before anything is decoded.
5. **Parsing in a worker.** :func:`run_limited` runs a parser in a worker process with an
   address-space limit and a wall-clock timeout, so a file that slips past the checks
   costs a refused upload, not the server's memory. Workers are started once and reused.

Every refusal is a platform error (:mod:`aiplus.core.errors`) with a bilingual message.
"""

from __future__ import annotations

import io
import multiprocessing
import pickle
import re
import sys
import threading
import warnings
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import PurePath
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from aiplus.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from aiplus.core.i18n import N_
from aiplus.platform.settings import MiB, upload_settings

T = TypeVar("T")

EMPTY = N_("The file is empty.")
DAMAGED = N_("The file is damaged and cannot be opened.")
NOT_ACCEPTED = N_("This type of file is not accepted here.")
MISMATCH = N_("The file is named .{extension} but holds {found} data, so it was refused. "
              "Please upload the original file.")
NOT_THAT_KIND = N_("The file is named .{extension} but its content is not a .{extension} file, "
                   "so it was refused. Please upload the original file.")
NOT_FORMAT = N_("The file is not a valid {kind} document.")
TOO_MANY_MEMBERS = N_("The archive holds {count} files; at most {limit} can be opened safely.")
TOO_LARGE_EXPANDED = N_("The archive expands to {size} MB, more than the {limit} MB that can be "
                        "opened safely (a possible zip bomb), so it was not opened.")
TOO_COMPRESSED = N_("The part {name} of the archive is compressed {ratio} times, far more than "
                    "real documents are (at most {limit} times; a possible zip bomb), so the "
                    "archive was not opened.")
OVERLAPPING = N_("The parts of the archive overlap, a trick used by zip bombs, so it was not "
                 "opened.")
ENCRYPTED = N_("The archive is protected by a password. Please upload it without the password.")
NESTED = N_("The archive holds another archive ({name}). Please upload the files inside it "
            "instead.")
GZIP_BOMB = N_("The compressed file expands to more than {limit} MB, or more than {ratio} times "
               "its own size (a possible decompression bomb), so it was not opened.")
TOO_MANY_PIXELS = N_("The image has {megapixels} megapixels; at most {limit} megapixels can be "
                     "opened safely. Please send a smaller image.")
WORKER_MEMORY = N_("Reading the file needed more than {limit} MB of memory, so it was stopped.")
WORKER_TIME = N_("Reading the file took longer than {seconds} seconds, so it was stopped.")
WORKER_CRASHED = N_("The file could not be read: its reader stopped unexpectedly.")


# -- limits ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one endpoint tolerates inside a file; see
    :class:`~aiplus.platform.settings.UploadSettings` for why."""

    max_members: int
    max_expanded_bytes: int
    max_ratio: float
    max_pixels: int

    @classmethod
    def platform(cls) -> Limits:
        settings = upload_settings()
        return cls(settings.max_members, settings.max_expanded_bytes, settings.max_ratio,
                   settings.max_pixels)


RATIO_FLOOR = 1 * MiB
"""Parts smaller than this are not judged by their ratio: a small, very regular part (an
empty sheet, a style table) compresses well and costs nothing; the total still counts it."""


# -- what a file is -------------------------------------------------------------------------

def _ftyp(head: bytes) -> str | None:
    """ISO base media files (HEIC photos, M4A audio) say what they are in their first box."""
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                 b"mif1", b"msf1"):
        return "heif"
    if brand in (b"M4A ", b"M4B ", b"isom", b"iso2", b"mp41", b"mp42", b"dash"):
        return "mp4"
    return None  # another ISO media brand (AVIF, video...): nothing we accept


def _mp3(head: bytes) -> bool:
    """An ID3 tag, or an MPEG audio frame sync (11 set bits, a valid layer and bitrate)."""
    if head[:3] == b"ID3" and len(head) > 4 and head[3] in (2, 3, 4) and head[4] == 0:
        return True
    return (len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
            and (head[1] >> 1) & 3 != 0 and head[2] >> 4 != 0xF)


def _riff(head: bytes) -> str | None:
    if head[:4] != b"RIFF":
        return None
    return {b"WAVE": "wav", b"WEBP": "webp"}.get(head[8:12])


TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # UTF-8, UTF-16/32 LE, UTF-16/32 BE
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PK\x07\x08", "zip"),
    (b"\x1f\x8b", "gzip"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
    (b"OggS", "ogg"), (b"\x1a\x45\xdf\xa3", "webm"), (b"fLaC", "flac"),
    (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "rar"), (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"SQLite format 3\x00", "sqlite"), (b"\x7fELF", "elf"),
)
"""Magic numbers, checked in order after the text byte-order marks; the first match wins."""
ARCHIVES = frozenset({"zip", "gzip", "7z", "rar", "xz", "zstd", "bzip2"})
IMAGES = frozenset({"png", "jpeg", "gif", "webp", "tiff", "heif"})
AUDIO = frozenset({"wav", "mp3", "ogg", "webm", "flac", "mp4"})


def sniff(data: bytes) -> str:
    """The family the bytes really belong to, from their magic numbers alone.

    Returns a format (``"pdf"``, ``"zip"``, ``"png"``...), ``"text"`` for bytes with a text
    byte-order mark or no NUL byte in their first 8 KiB, or ``"unknown"``.
    """
    head = data[:64]
    if head.startswith(TEXT_BOMS):
        return "text"
    for magic, family in SIGNATURES:
        if head.startswith(magic):
            return family
    found = _riff(head) or _ftyp(head)
    if found:
        return found
    if re.match(rb"BZh[1-9]1AY&SY", head):
        return "bzip2"
    if head[:2] == b"MZ" and b"\x00" in head:  # a DOS/Windows executable, never text
        return "exe"
    if _mp3(head):
        return "mp3"
    return "unknown" if b"\x00" in data[:8192] else "text"


EXTENSIONS: dict[str, str] = {
    "pdf": "pdf", "zip": "zip", "xlsx": "zip", "docx": "zip", "pptx": "zip", "ods": "zip",
    "odt": "zip", "gz": "gzip", "png": "png", "jpeg": "jpeg", "gif": "gif", "webp": "webp",
    "tiff": "tiff", "heic": "heif", "wav": "wav", "mp3": "mp3", "ogg": "ogg", "webm": "webm",
    "flac": "flac", "m4a": "mp4",
    **dict.fromkeys(("csv", "tsv", "txt", "md", "json", "jsonl", "geojson", "html", "xml",
                     "eml", "kml", "gml", "yaml", "rdf", "ttl", "svg"), "text"),
}
"""Declared kinds (normalised extensions) and the family their content must be."""
ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "tif": "tiff", "heif": "heic", "htm": "html",
           "ndjson": "jsonl", "oga": "ogg", "opus": "ogg", "yml": "yaml", "markdown": "md",
           "tgz": "gz"}
KIND_OF_FAMILY = {"heif": "heic", "mp4": "m4a", "text": "txt"}
"""The kind a file without a known extension gets from its family (else the family name)."""


def declared_kind(filename: str) -> str | None:
    """The kind a file's name claims (``report.XLSX`` -> ``xlsx``), or None if it claims none
    we know: an unknown extension is not a claim the content could contradict."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    suffix = PurePath(name).suffix.lower().lstrip(".")
    suffix = ALIASES.get(suffix, suffix)
    return suffix if suffix in EXTENSIONS else None


def _agrees(expected: str, found: str) -> bool:
    """Whether content of family ``found`` may carry a name that promises ``expected``.

    Images stand in for images and recordings for recordings (a PNG saved as ``.jpg`` is
    still checked as the PNG it is). Bytes that are neither text nor a known format may
    carry a text name: the text parser refuses them with its own, more precise message.
    """
    if expected == found:
        return True
    if {expected, found} <= IMAGES or {expected, found} <= AUDIO:
        return True
    return expected == "text" and found == "unknown"


def identify(filename: str, data: bytes) -> tuple[str, str]:
    """The file's kind (``xlsx``, ``csv``, ``png``...) and its content family, refusing a
    name the content contradicts (415)."""
    family = sniff(data)
    declared = declared_kind(filename)
    if declared is None:
        return KIND_OF_FAMILY.get(family, family), family
    expected = EXTENSIONS[declared]
    if not _agrees(expected, family):
        if family in ("text", "unknown"):
            raise UnsupportedMediaType(NOT_THAT_KIND, extension=declared)
        raise UnsupportedMediaType(MISMATCH, extension=declared, found=family.upper())
    if expected in IMAGES or expected in AUDIO:
        return KIND_OF_FAMILY.get(family, family), family
    return declared, family


# -- archives -------------------------------------------------------------------------------

OOXML = {"xlsx": "xl/", "docx": "word/", "pptx": "ppt/"}
OPENDOCUMENT = {"ods": b"application/vnd.oasis.opendocument.spreadsheet",
                "odt": b"application/vnd.oasis.opendocument.text"}
ARCHIVE_NAMES = (".zip", ".gz", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".zst", ".jar",
                 ".xlsx", ".docx", ".pptx", ".ods", ".odt")


ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
              NotImplementedError, RuntimeError, KeyError, zlib.error)
"""What ``zipfile`` raises on a damaged, truncated, encrypted or exotic archive."""


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, archive.infolist()
    except ZIP_ERRORS as error:
        raise BadRequest(DAMAGED) from error


def _check_sizes(members: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    """Refuse on the central directory's numbers alone: count, total, ratio, and parts
    whose compressed data adds up to more than the ``size`` bytes before the directory
    (parts that overlap, sharing one compressed kernel as in Fifield's "better zip bomb")."""
    if len(members) > limits.max_members:
        raise BadRequest(TOO_MANY_MEMBERS, count=len(members), limit=limits.max_members)
    total = sum(member.file_size for member in members)
    if total > limits.max_expanded_bytes:
        raise BadRequest(TOO_LARGE_EXPANDED, size=total // MiB,
                         limit=limits.max_expanded_bytes // MiB)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise BadRequest(TOO_COMPRESSED, name=member.filename[:100], ratio=round(ratio),
                             limit=round(limits.max_ratio))
    if sum(member.compress_size for member in members) > size:
        raise BadRequest(OVERLAPPING)  # more compressed data than the archive holds


def _nested_allowed(kind: str, name: str) -> bool:
    """Office documents embed workbooks and documents (a chart's data) under ``embeddings/``;
    their parsers never open them. Anywhere else an archive inside an archive is refused, as
    a recursive bomb or a way round these checks."""
    return kind in OOXML and "/embeddings/" in f"/{name}"


def _is_archive(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    if member.filename.lower().endswith(ARCHIVE_NAMES):
        return True
    if member.is_dir() or member.file_size == 0:
        return False
    with archive.open(member) as stream:  # the first bytes only: cheap even for a big part
        return sniff(stream.read(16)) in ARCHIVES


def _check_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], kind: str) -> None:
    """Refuse encrypted parts (no parser can read them) and archives inside the archive."""
    if any(member.flag_bits & 0x1 for member in members):
        raise BadRequest(ENCRYPTED)
    try:
        for member in members:
            if not _nested_allowed(kind, member.filename) and _is_archive(archive, member):
                raise BadRequest(NESTED, name=member.filename[:100])
    except ZIP_ERRORS as error:
        raise BadRequest(DAMAGED) from error


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    """What a zip archive holds, from its parts: an Office or OpenDocument file, or a plain
    ZIP. The ``mimetype`` part OpenDocument requires is read only when it is small."""
    if "[Content_Types].xml" in names:
        for kind, folder in OOXML.items():
            if any(name.startswith(folder) for name in names):
                return kind
    if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
        try:
            declared = archive.read("mimetype").strip()
        except ZIP_ERRORS as error:
            raise BadRequest(DAMAGED) from error
        for kind, mimetype in OPENDOCUMENT.items():
            if declared == mimetype:
                return kind
    return "zip"


def check_archive(data: bytes, kind: str = "zip", limits: Limits | None = None) -> str:
    """Refuse a zip archive that would inflate past ``limits`` or is not the ``kind`` its
    name says (``xlsx``, ``docx``, ``ods``...); return the kind its parts show it to be."""
    limits = limits or Limits.platform()
    archive, members = _open_zip(data)
    with archive:
        _check_sizes(members, getattr(archive, "start_dir", len(data)), limits)
        found = _zip_kind(archive, {member.filename for member in members})
        _check_members(archive, members, found)
    if kind != "zip" and found != kind:
        raise BadRequest(NOT_FORMAT, kind=kind.upper())
    return found


GZIP_CHUNK = 1 * MiB
GZIP_STEP = 64 * 1024


def _inflate(data: bytes, cap: int) -> tuple[int, bytes]:
    """Inflate every gzip member in turn, counting the output and keeping none of it.

    Input goes in 64 KiB steps and output comes out 1 MiB at a time, so memory stays small
    whatever the file claims. Returns the total and the first bytes of the output; raises
    :class:`OverflowError` past ``cap`` bytes and ``zlib.error`` when the stream is damaged
    or cut short.
    """
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total, head, position, pending = 0, b"", 0, b""
    while True:
        if inflater.eof:  # a member ended: what follows is another member, or padding
            pending = inflater.unused_data + pending
            if position >= len(data) and not pending.strip(b"\x00"):
                return total, head
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if not pending and position < len(data):
            pending = data[position:position + GZIP_STEP]
            position += len(pending)
        chunk = inflater.decompress(pending, GZIP_CHUNK)
        pending = inflater.unconsumed_tail
        total += len(chunk)
        head = head or chunk[:16]
        if total > cap:
            raise OverflowError(total)
        if not (chunk or inflater.eof or pending or position < len(data)):
            raise zlib.error("the stream ends before its end")


def check_gzip(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a GZIP file that inflates past the total or the ratio, or holds an archive.

    GZIP keeps no trustworthy size (its trailer holds the size modulo 4 GiB and anyone can
    write it), so the stream itself is inflated and counted. The ratio applies to the whole
    file (a tiny file may still reach 1 MiB).
    """
    limits = limits or Limits.platform()
    cap = min(limits.max_expanded_bytes, max(int(limits.max_ratio * len(data)), RATIO_FLOOR))
    try:
        _, head = _inflate(data, cap)
    except OverflowError:
        raise BadRequest(GZIP_BOMB, limit=limits.max_expanded_bytes // MiB,
                         ratio=round(limits.max_ratio)) from None
    except (zlib.error, EOFError, ValueError) as error:
        raise BadRequest(DAMAGED) from error
    if sniff(head) in ARCHIVES:
        raise BadRequest(NESTED, name=sniff(head).upper())


# -- images ---------------------------------------------------------------------------------

PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP", "tiff": "TIFF",
                  "heif": "HEIF"}


def _pixel_ceiling(limits: Limits) -> int:
    """Our limit, or Pillow's own if someone set a lower one for the whole process."""
    from PIL import Image

    ceiling = Image.MAX_IMAGE_PIXELS
    return limits.max_pixels if ceiling is None else min(limits.max_pixels, int(ceiling))


def _declared_pixels(data: bytes, family: str) -> int:
    """Width times height from the image header; Pillow decodes no pixel data in ``open``."""
    from PIL import Image

    if family == "heif":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    try:
        with warnings.catch_warnings():  # the size is compared with our limit just after;
            warnings.simplefilter("ignore")  # a damaged header's noise helps nobody
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[family]]) as image:
                width, height = image.size
    except Image.DecompressionBombError as error:  # past twice Pillow's limit: its number
        found = re.search(r"\((\d+) pixels\)", str(error))
        return int(found.group(1)) if found else sys.maxsize
    except Exception as error:  # noqa: BLE001 - a header Pillow cannot read is damaged
        raise BadRequest(DAMAGED) from error
    return int(width) * int(height)


def check_image(data: bytes, family: str, limits: Limits | None = None) -> None:
    """Refuse an image whose header declares more pixels than ``limits`` allow."""
    limits = limits or Limits.platform()
    ceiling = _pixel_ceiling(limits)
    pixels = _declared_pixels(data, family)
    if pixels > ceiling:
        raise BadRequest(TOO_MANY_PIXELS, megapixels=_megapixels(pixels),
                         limit=_megapixels(ceiling))


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:,.0f}" if pixels >= 1e6 else f"{pixels / 1e6:.1f}"


# -- the reader -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check: its name as sent, its bytes, what it is."""

    filename: str
    data: bytes = field(repr=False)
    kind: str
    """``xlsx``, ``csv``, ``png``...: the declared kind, or the content's where none was."""
    family: str
    """What the bytes are (``zip``, ``text``, ``png``...), whatever the name says."""


def check_upload(filename: str, data: bytes, *, accept: Collection[str] | None = None,
                 limits: Limits | None = None, unsupported: str | None = None) -> CheckedUpload:
    """Check bytes already read: not empty, the kind (one of ``accept`` unless None), and
    whatever bomb the content could be. ``unsupported`` is the endpoint's own message for
    a kind it does not take (listing what it does)."""
    if not data:
        raise BadRequest(EMPTY)
    kind, family = identify(filename, data)
    limits = limits or Limits.platform()
    if family == "zip":
        kind = check_archive(data, kind if kind in (*OOXML, *OPENDOCUMENT) else "zip", limits)
        kind = declared_kind(filename) or kind
    if accept is not None and kind not in accept:
        raise UnsupportedMediaType(unsupported or NOT_ACCEPTED)
    if family == "gzip":
        check_gzip(data, limits)
    elif family in IMAGES:
        check_image(data, family, limits)
    return CheckedUpload(filename, data, kind, family)


async def read_limited(upload: UploadFile, max_bytes: int) -> bytes:
    """The upload's bytes, refusing (413) past ``max_bytes`` without reading the rest."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLarge(limit=max_bytes)
    return data


async def read_upload(upload: UploadFile, *, max_bytes: int,
                      accept: Collection[str] | None = None, limits: Limits | None = None,
                      unsupported: str | None = None) -> CheckedUpload:
    """Read and check one uploaded file (see the module docstring). The checks run in a
    worker thread: inflating a GZIP to its cap takes a moment the event loop must not."""
    data = await read_limited(upload, max_bytes)
    return await run_in_threadpool(check_upload, upload.filename or "", data, accept=accept,
                                   limits=limits, unsupported=unsupported)


# -- parsing in a worker with limits --------------------------------------------------------

class WorkerLimitExceeded(BadRequest):
    """A parser in a worker passed its memory or time limit, or died."""


def _address_space() -> int:
    """This process's current virtual memory size in bytes (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as stats:
            pages = int(stats.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    import resource

    return pages * resource.getpagesize()


def _limit_memory(extra: int) -> None:
    """Let this (worker) process grow by ``extra`` bytes at most for its next task: past
    it an allocation raises :class:`MemoryError` instead of taking the server's memory.
    Counted from the current size, since the libraries a worker holds already reserve
    address space; only the soft limit moves, so the next task can set its own."""
    current = _address_space()
    if not current:
        return  # not Linux: RLIMIT_AS is not dependable elsewhere
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra if hard == resource.RLIM_INFINITY else min(current + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _portable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling to the parent, else a plain stand-in."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any pickling failure means: send a stand-in
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _outcome(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "ok", function(*args)
    except MemoryError:
        return "memory", None
    except Exception as error:  # noqa: BLE001 - every failure goes back to the parent
        return "error", _portable(error)


def _serve(conn: Connection, preload: tuple[str, ...]) -> None:
    """A worker's life: import ``preload`` once, say so, then run task after task, each
    under its own memory limit, answering ("ok"|"error"|"memory", value)."""
    import importlib

    for name in preload:
        importlib.import_module(name)
    conn.send(("ready", None))
    while True:
        try:
            function, args, memory_bytes = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        _limit_memory(memory_bytes)
        answer = _outcome(function, args)
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", None))


WORKER_START_SECONDS = 120.0
WORKER_TASKS = 200
"""Tasks a worker runs before it is replaced, so heap a parser leaves behind cannot pile up."""
IDLE_WORKERS = 2


class _Worker:
    """One worker process, started once (``spawn``: a fresh interpreter, not a fork of this
    threaded server, which could copy a lock another thread holds) and reused, so a small
    parse costs a pipe round trip rather than a process start."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, preload), daemon=True,
                                       name="aiplus-upload-worker")
        self.process.start()
        child.close()
        self.tasks = 0
        if self._answer(WORKER_START_SECONDS)[0] != "ready":
            self.stop()
            raise WorkerLimitExceeded(WORKER_CRASHED)

    def _answer(self, seconds: float) -> tuple[str, Any]:
        if not self.conn.poll(seconds):
            return "time", None
        try:
            return self.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):  # died without a word: killed, most often for memory
            return "crashed", None

    def run(self, function: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int,
            seconds: float) -> tuple[str, Any]:
        self.tasks += 1
        try:
            self.conn.send((function, args, memory_bytes))
        except OSError:  # it died while idle
            return "crashed", None
        return self._answer(seconds)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


_idle: dict[tuple[str, ...], list[_Worker]] = {}
_idle_lock = threading.Lock()


def _take_worker(preload: tuple[str, ...]) -> _Worker:
    with _idle_lock:
        waiting = _idle.get(preload, [])
        while waiting:
            worker = waiting.pop()
            if worker.process.is_alive():
                return worker
            worker.stop()
    return _Worker(preload)


def _give_back(worker: _Worker, preload: tuple[str, ...]) -> None:
    with _idle_lock:
        waiting = _idle.setdefault(preload, [])
        if worker.tasks < WORKER_TASKS and len(waiting) < IDLE_WORKERS:
            waiting.append(worker)
            return
    worker.stop()


def warm_up(preload: Iterable[str] = ()) -> None:
    """Start a worker now (a second or two) instead of on the first upload."""
    key = tuple(preload)
    _give_back(_take_worker(key), key)


def run_limited(function: Callable[..., T], *args: Any, memory_bytes: int, seconds: float,
                preload: Iterable[str] = ()) -> T:
    """``function(*args)`` in a worker process that may grow by ``memory_bytes`` while it
    runs and is killed after ``seconds``; its errors are raised here. ``function`` must be
    importable by name (a module-level function), its arguments and result picklable.
    A worker that ran out of time or memory is replaced, never reused."""
    if multiprocessing.current_process().daemon:  # a daemon may not start processes
        return function(*args)
    key = tuple(preload)
    worker = _take_worker(key)
    status, value = "crashed", None
    try:
        status, value = worker.run(function, args, memory_bytes, seconds)
    finally:
        if status in ("ok", "error"):
            _give_back(worker, key)
        else:
            worker.stop()
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "error":
        raise value
    if status == "memory":
        raise WorkerLimitExceeded(WORKER_MEMORY, limit=memory_bytes // MiB)
    if status == "time":
        raise WorkerLimitExceeded(WORKER_TIME, seconds=f"{seconds:g}")
    raise WorkerLimitExceeded(WORKER_CRASHED)


__all__ = [
    "CheckedUpload", "Limits", "WorkerLimitExceeded", "check_archive", "check_gzip",
    "check_image", "check_upload", "declared_kind", "identify", "read_limited", "read_upload",
    "run_limited", "sniff", "warm_up",
]
