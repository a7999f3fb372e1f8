"""A context manager that keeps Python's cyclic garbage collector out of the way while a stage builds a large tree.

The parser and the checker allocate millions of small objects and free almost none of them until they finish; each
automatic collection rescans every object still young enough, so with the collector on, parsing and checking grow
faster than the statute (10,000 articles: parse 19.8 -> 5.4 s, check 4.4 -> 1.6 s with it paused). The stages make
no garbage cycles worth collecting meanwhile; the collector's state is restored on the way out, even on an error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def collector_aside() -> Iterator[None]:
    """Python's cyclic collector kept out of the way of a whole stage of the pipeline (parse and check, generate
    and load), which leaves no cyclic garbage worth collecting: the objects there are (the checked statute, millions
    of them for a large one) are frozen, so that no collection rescans them meanwhile, and no collection runs. Both
    undone on the way out; the frozen objects go back to the oldest generation, where they would have gone anyway.
    10,000 articles: collections took 3.9 s of generating."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
