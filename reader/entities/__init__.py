"""Named entities in articles: people, places and agreements.

A layered recognizer (gazetteers, then pattern rules, then linking of short
mentions to full names) behind one small interface, so a statistical pipeline
could replace it later::

    from reader.entities import recognize
    for entity in recognize(article.body, title=article.title, author=article.author):
        print(entity.type, entity.name, [m.text for m in entity.mentions])

Offsets are into the body. :data:`RECOGNIZER_VERSION` changes whenever the rules
or the shipped gazetteers do, so an index built with older results is rebuilt.
"""

from reader.entities.model import ENTITY_TYPES, Entity, Mention
from reader.entities.recognizer import RECOGNIZER_VERSION, Recognizer, default_recognizer, recognize

__all__ = [
    "ENTITY_TYPES",
    "RECOGNIZER_VERSION",
    "Entity",
    "Mention",
    "Recognizer",
    "default_recognizer",
    "recognize",
]
