"""Executable checks, one per claim of the papers and references (see :mod:`.registry`)."""
from .registry import (CLAIM_MODULES, CheckContext, Claim, ClaimOutcome, ClaimResult, all_claims,
                       claim, get_claim, run_claim, select_claims)

__all__ = ["CLAIM_MODULES", "CheckContext", "Claim", "ClaimOutcome", "ClaimResult", "all_claims",
           "claim", "get_claim", "run_claim", "select_claims"]
