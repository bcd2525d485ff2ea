"""One identity per entity across a corpus: the ``id`` of a person, place or organisation.

An id is its type and a key, the same in every article and every run:

* a place carries its code when the gazetteer knows one: ISO 3166 for countries
  and subdivisions ("place:US", "place:US-CA", "place:SUHH" for the Soviet
  Union), GeoNames for cities ("place:geonames:1850147"); so "U.S.", "US", "the
  United States" and "America", all canonically "United States", share
  "place:US". Places without a code are keyed by their canonical name;
* people, organisations and agreements are keyed by their canonical name, folded
  to lower-case ASCII words joined by hyphens ("person:nobuo-kishi").

Within an article the recognizer already links "Kishi" to "Nobuo Kishi". Across
the corpus, :class:`SurnameLinks` links a person named by one word only in an
article to the one full name in the corpus that ends (or, for surname-first
names, starts) with it; when two full names share it ("Nobuo Kishi", "Ann
Kishi"), it stays an id of its own, so two people are never merged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reader.entities.names import SURNAME_FIRST

#: The prefix of each type's ids.
PREFIXES = {
    "person": "person",
    "place": "place",
    "organisation": "org",
    "agreement": "agreement",
}
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
#: Apostrophes vanish ("Jane's" -> "janes"); every hyphen and dash is one.
_PUNCTUATION = str.maketrans({"'": None, "’": None, "‘": None, **dict.fromkeys("‐‑‒–—", "-")})


def slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Phan Văn Giang" -> "phan-van-giang"."""
    name = name.translate(_PUNCTUATION)
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    text = _NON_WORD_RE.sub("-", ascii_text).strip("-")
    if text:
        return text
    # A name in a script with no ASCII letters keeps its own characters.
    return "-".join(name.lower().split()) or "unnamed"


def entity_id(kind: str, name: str, place_codes: dict[str, str] | None = None) -> str:
    """The id of an entity of ``kind`` with canonical ``name`` (no corpus context)."""
    prefix = PREFIXES.get(kind, kind)
    if kind == "place" and place_codes:
        code = place_codes.get(name)
        if code:
            return f"{prefix}:{code}"
    return f"{prefix}:{slug(name)}"


def _surname_keys(name: str) -> set[str]:
    parts = name.split()
    keys = {parts[-1]}
    if parts[0] in SURNAME_FIRST:
        keys.add(parts[0])
    return keys


class SurnameLinks:
    """Lone surnames of a corpus linked to the one full name that has them."""

    def __init__(self, person_names: Iterable[str]) -> None:
        owners: dict[str, set[str]] = {}
        for name in person_names:
            if " " not in name:
                continue
            for key in _surname_keys(name):
                owners.setdefault(key, set()).add(name)
        self.full_name = {
            key: next(iter(names)) for key, names in owners.items() if len(names) == 1
        }

    def canonical(self, name: str) -> str:
        """The full name a one-word ``name`` stands for, or ``name`` itself."""
        if " " in name:
            return name
        return self.full_name.get(name, name)
