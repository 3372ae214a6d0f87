"""One registry mechanism for the claims (``proofs_checks.registry``) and the figures
(``rdptheory.plots``): entries registered by decorators in a fixed list of modules, imported on
first use, looked up by key and selected by cost and a glob/substring filter."""
from __future__ import annotations

import fnmatch
import importlib

__all__ = ["Registry", "COSTS", "check_cost"]

#: 'quick' entries run by default; 'full' ones only with --full (and pytest -m slow).
COSTS = ("quick", "full")


def check_cost(cost):
    if cost not in COSTS:
        raise ValueError(f"cost must be 'quick' or 'full'; got {cost!r}")
    return cost


class Registry(dict):
    """Entries keyed by a string (a dict, so tests can monkeypatch entries in), registered when
    the modules named by ``modules()`` are imported. ``kind`` names the entries in error
    messages ('claim id', 'figure')."""

    def __init__(self, kind, modules, list_hint):
        super().__init__()
        self.kind, self._modules, self._hint = kind, modules, list_hint
        self._loaded = False

    def register(self, key, entry):
        if key in self:
            raise ValueError(f"{self.kind} {key!r} is registered twice")
        self[key] = entry

    def _load(self):
        if not self._loaded:
            for module in self._modules():
                importlib.import_module(module)
            self._loaded = True

    def entries(self, *, sort=False):
        """Every entry, in key order if ``sort`` else in registration order."""
        self._load()
        keys = sorted(self) if sort else list(self)
        return [self[k] for k in keys]

    def lookup(self, key):
        """The entry for ``key``; ValueError naming the key if there is none."""
        self._load()
        try:
            return self[key]
        except KeyError:
            raise ValueError(f"unknown {self.kind} {key!r}; {self._hint}") from None

    def select(self, entries, *, full=False, only=None):
        """(selected, skipped): the quick entries (and the expensive ones if ``full``) among
        ``entries`` whose key matches ``only`` (a glob pattern or a substring)."""
        selected, skipped = [], []
        for key, entry in entries:
            if only is not None and not (fnmatch.fnmatch(key, only) or only in key):
                continue
            (selected if (full or entry.cost == "quick") else skipped).append(entry)
        return selected, skipped
