"""The user's highlights: passages of articles, kept safe and anchored to their text.

Owns: :mod:`~reader.highlights.model` (a highlight: its fields, corpus and article,
where it is placed, and the errors of highlight operations),
:mod:`~reader.highlights.store` (the highlights file: atomic writes under a lock,
recovery of a damaged file), :mod:`~reader.highlights.anchoring` (quote, prefix,
suffix and positions; re-anchoring when an article changes) and
:mod:`~reader.highlights.boundaries` (the sentence or paragraph around an offset).
May import: :mod:`reader.support`.
"""
