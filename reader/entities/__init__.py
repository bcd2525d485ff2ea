"""Named entities in articles: people, places, organisations and agreements.

A layered recognizer (gazetteers, then pattern rules, then linking of short
mentions to full names) behind one small interface, so a statistical pipeline
could replace it later::

    from reader.entities import recognize
    for entity in recognize(article.body, title=article.title, author=article.author):
        print(entity.type, entity.name, [m.text for m in entity.mentions])

Offsets are into the body. :data:`RECOGNIZER_VERSION` changes whenever the rules
or the shipped gazetteers do, so an index built with older results is rebuilt.
"""

from typing import Any

from reader.entities.model import ENTITY_TYPES, Entity, Mention
from reader.entities.version import RECOGNIZER_VERSION

_RECOGNIZER_NAMES = frozenset({"Recognizer", "default_recognizer", "recognize"})


def __getattr__(name: str) -> Any:
    # The recognizer compiles its rules on import; only what recognises pays for it
    # (a start-up with nothing to index only needs RECOGNIZER_VERSION).
    if name in _RECOGNIZER_NAMES:
        from reader.entities import recognizer

        return getattr(recognizer, name)
    raise AttributeError(f"module 'reader.entities' has no attribute {name!r}")


__all__ = [
    "ENTITY_TYPES",
    "RECOGNIZER_VERSION",
    "Entity",
    "Mention",
    "Recognizer",
    "default_recognizer",
    "recognize",
]
