"""A module imported on first attribute access, so that ``rdptheory --help`` does not pay for
numba, scipy and the kernels' compilation cache it never uses."""
from __future__ import annotations

import importlib

__all__ = ["lazy_module"]


class _LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", None)

    def __getattr__(self, attr):
        module = object.__getattribute__(self, "_module")
        if module is None:
            module = importlib.import_module(object.__getattribute__(self, "_name"))
            object.__setattr__(self, "_module", module)
        return getattr(module, attr)

    def __repr__(self):
        return f"<lazy module {object.__getattribute__(self, '_name')!r}>"


def lazy_module(name):
    """A stand-in for ``importlib.import_module(name)`` that imports on first attribute access.

    Examples
    --------
    >>> from rdptheory._lazy import lazy_module
    >>> m = lazy_module("math")
    >>> m.sqrt(4.0)
    2.0
    """
    return _LazyModule(name)
