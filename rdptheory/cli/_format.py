"""Small helpers for the CLI's tables and JSON."""
from __future__ import annotations

import math


def number(x, digits=10):
    """A float as text: '%.{digits}g', 'inf', or '—' for None."""
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if math.isnan(x):
        return "nan"
    return f"{x:.{digits}g}"


def jsonable(x):
    """Convert numpy scalars/arrays into JSON values; non-finite floats (nan, ±inf) become
    ``None`` (JSON ``null``: strict JSON has no such numbers). Output of every ``--json`` option
    goes through here, so ``json.loads(..., parse_constant=...)`` never meets ``NaN``."""
    import numpy as np  # here, not at import time: `rdptheory --help` stays fast
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.str_):
        return str(x)
    return x


def table(rows, headers):
    """Plain-text table with left-aligned columns."""
    cols = list(zip(*([headers] + rows))) if rows else [[h] for h in headers]
    widths = [max(len(str(c)) for c in col) for col in cols]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)
