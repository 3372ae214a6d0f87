"""Executable checks, one per claim of the papers and references (see :mod:`.registry`).

Installed as the top-level package ``proofs_checks`` by the ``rdptheory`` distribution.
``DISTRIBUTION`` marks it as rdptheory's: ``rdptheory verify`` refuses a module of the same name
from any other distribution instead of running someone else's checks.
"""
DISTRIBUTION = "rdptheory"

from .registry import (CLAIM_MODULES, CheckContext, Claim, ClaimOutcome, ClaimResult, all_claims,
                       claim, get_claim, run_claim, select_claims)

__all__ = ["CLAIM_MODULES", "CheckContext", "Claim", "ClaimOutcome", "ClaimResult", "all_claims",
           "claim", "get_claim", "run_claim", "select_claims"]
