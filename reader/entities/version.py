"""The recognizer's version, in a module of its own so reading it is free.

Bump it whenever the rules or the shipped gazetteers change: an index built with
another version is rebuilt, so every article gets the new results.
"""

RECOGNIZER_VERSION = "6"
