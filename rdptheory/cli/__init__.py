"""The ``rdptheory`` command line: one sub-command per module in this package.

Each sub-command module provides ``add_parser(subparsers)`` and ``run(args) -> int``. The
library itself never prints; everything shown to a user is printed here.
"""
from __future__ import annotations

import argparse
import sys

from .. import __version__

try:  # the sub-commands import numpy, scipy, numba: a Ctrl-C while they load is not a bug
    from . import bounds, figures, ltc, nsm, simulate, verify
except KeyboardInterrupt:
    print("rdptheory: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

COMMANDS = (verify, bounds, nsm, simulate, figures, ltc)


class UsageError(Exception):
    """Bad command-line input: printed as ``rdptheory CMD: error: ...`` with exit code 2."""


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rdptheory",
        description="Rate-distortion-perception theory with lattices, as numbers anyone can "
                    "check.")
    parser.add_argument("--version", action="version", version=f"rdptheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (ValueError, UsageError) as exc:
        print(f"rdptheory {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `rdptheory nsm --json | head`
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"rdptheory {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
