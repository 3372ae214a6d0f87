"""Generated blocks of the documentation (the claims table in docs/claims.md, the figure
gallery in docs/figures.md): text between two marker comments, replaced wholesale so that a
test can tell when a block is stale."""
from __future__ import annotations

__all__ = ["replace_block"]


def replace_block(text, start, end, body):
    """``text`` with everything between the markers ``start`` and ``end`` replaced by ``body``
    (one newline after ``start`` and before ``end``). ValueError if a marker is missing."""
    if start not in text or end not in text:
        raise ValueError(f"the page has no {start} ... {end} block")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"
