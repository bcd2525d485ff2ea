"""Small pieces every layer uses: atomic file writes, the per-user folders, safe text.

Owns: :mod:`~reader.support.atomic` (write a file whole or not at all),
:mod:`~reader.support.collector` (Python's cycle collector paused for a burst
of new containers), :mod:`~reader.support.locations` (cache, data, state and config
folders; the bundled corpus), :mod:`~reader.support.regular` (read a file only when it is a
regular file, never blocking on a FIFO or device) and
:mod:`~reader.support.textsafe` (text from files made safe to print). Imports
nothing else of the reader.
"""
