"""The progress bar of ``rdptheory verify``: steps weighted by their expected seconds, and a
heartbeat that shows the time spent in the running step.

A plain step-count bar advances only between claims, so its ETA is wrong by the length of the
longest claim (about 7 minutes for ``lattices.Leech.fast_decoder_exact`` in ``--full``). Here
each claim and figure weighs its wall time in the previous report of the same mode in the
output folder, or, without one, a default by cost (quick claim 1 s, expensive claim 60 s,
quick figure 10 s, expensive figure 120 s); the bar counts expected seconds.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

#: Expected seconds per step when no previous report says better, by (kind, cost).
DEFAULT_SECONDS = {("claim", "quick"): 1.0, ("claim", "full"): 60.0,
                   ("figure", "quick"): 10.0, ("figure", "full"): 120.0}


def previous_times(out, mode):
    """{("claim", id) or ("figure", name): seconds} from ``out/report.json`` if it was written
    in the same mode, else {} (also for a missing or unreadable report)."""
    try:
        report = json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if report.get("mode") != mode:
        return {}
    times = {}
    for c in report.get("claims", []):
        if isinstance(c.get("wall_time_s"), (int, float)):
            times[("claim", c.get("id"))] = float(c["wall_time_s"])
    for f in report.get("figures", []):
        if isinstance(f.get("wall_time_s"), (int, float)):
            times[("figure", f.get("name"))] = float(f["wall_time_s"])
    return times


def expected_seconds(steps, known):
    """Weights of ``steps`` [(kind, key, cost)]: the known time (at least 0.05 s) or the
    default of its kind and cost."""
    return [max(known.get((kind, key), DEFAULT_SECONDS[(kind, cost)]), 0.05)
            for kind, key, cost in steps]


class WeightedProgress:
    """tqdm bar over expected seconds; ``start(label)`` begins a step, ``advance()`` ends it.
    Disabled (every method a no-op) when ``enabled`` is false."""

    def __init__(self, weights, enabled=True, heartbeat=1.0):
        self._weights = list(weights)
        self._i = 0
        self._bar = None
        self._t = None
        self._stop = threading.Event()
        self._thread = None
        self._note = ""
        if enabled and self._weights:
            from tqdm import tqdm
            self._bar = tqdm(total=round(sum(self._weights), 2), file=sys.stderr, unit="s",
                             leave=False, dynamic_ncols=True,
                             bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s expected "
                                        "[{elapsed}<{remaining}{postfix}]")
            self._thread = threading.Thread(target=self._beat, args=(heartbeat,), daemon=True)
            self._thread.start()

    def _beat(self, every):
        while not self._stop.wait(every):
            bar, t = self._bar, self._t
            if bar is not None and t is not None:
                bar.set_postfix_str(f"{self._note[:30]} {time.perf_counter() - t:.0f} s in "
                                    "this step".lstrip())

    def start(self, label):
        self._t = time.perf_counter()
        self._note = ""
        if self._bar is not None:
            self._bar.set_description(label[:40])

    def note(self, text):
        self._note = text
        if self._bar is not None:
            self._bar.set_postfix_str(text[:40])

    def advance(self):
        if self._bar is not None and self._i < len(self._weights):
            self._bar.update(round(self._weights[self._i], 2))
        self._i += 1
        self._t = None

    def close(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._bar is not None:
            self._bar.close()
