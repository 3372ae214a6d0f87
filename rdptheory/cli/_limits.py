"""Resource checks for command-line sizes: refuse, with the memory a run would need, instead of
ending in a MemoryError traceback after minutes of work."""
from __future__ import annotations

import os

__all__ = ["physical_memory", "check_memory", "format_bytes"]


def physical_memory():
    """Bytes of physical memory of this machine (None if the OS does not say)."""
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def format_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.3g} {unit}"
        n /= 1024.0
    return f"{n:.3g} PiB"  # pragma: no cover


def check_memory(needed, what, fraction=0.8):
    """ValueError if ``needed`` bytes exceed ``fraction`` of physical memory; ``what`` names the
    flags that set the size (e.g. "--samples 1e12 with E8")."""
    total = physical_memory()
    if total is not None and needed > fraction * total:
        raise ValueError(f"{what} needs about {format_bytes(needed)} of memory; this machine "
                         f"has {format_bytes(total)}: use smaller values")
