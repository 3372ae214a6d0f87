"""The chunk plan and the running (mergeable, checkpointable) state of an NSM estimate.

The plan is lazy: chunk i is built on demand, its seed the SeedSequence child with spawn key
``seed.spawn_key + (i,)`` (what ``seed.spawn(k)[i]`` gives), so memory does not depend on the
number of samples. Chunk results are folded into :class:`NsmState` strictly in chunk order;
the state after chunk k is therefore the same whatever the number of workers, and a run
resumed from a checkpoint of that state reaches a bit-identical result.
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .stats import Moments

#: Samples per chunk: the unit of work, of randomness (one SeedSequence child each) and of
#: merging. Fixed, so results depend on the seed and n_samples only.
CHUNK_SIZE = 1 << 16
#: Sub-batches per chunk for the batch-jackknife cross-check of the MC standard error.
BATCHES_PER_CHUNK = 16
#: Jackknife batches kept; beyond this, adjacent batches are merged pairwise (deterministic,
#: so the memory of a run stays bounded whatever its length).
MAX_BATCHES = 1 << 14
#: Checkpoint format version.
STATE_VERSION = 1


@dataclass(frozen=True)
class ChunkSpec:
    lattice: object
    method: str
    count: int
    seed: np.random.SeedSequence
    start: int = 0          # RQMC: offset in the replicate's Sobol sequence
    replicate: int = 0


@dataclass(frozen=True)
class ChunkResult:
    g: Moments
    fourth: Moments
    outer: Moments
    batch_sums: np.ndarray
    batch_counts: np.ndarray
    replicate: int


def child_seed(seq, i):
    """``seq.spawn(k)[i]`` for a fresh ``seq``, without spawning the first i children."""
    return np.random.SeedSequence(seq.entropy, spawn_key=tuple(seq.spawn_key) + (int(i),),
                                  pool_size=seq.pool_size)


class Plan(Sequence):
    """The chunk specs of a run, built on demand: a pure function of (lattice, n_samples,
    method, seed, replicates)."""

    def __init__(self, lattice, n_samples, method, seq, replicates):
        self.lattice, self.method, self.seq = lattice, method, seq
        if method == "mc":
            self.n_chunks = -(-n_samples // CHUNK_SIZE)
            self.total = n_samples
            self.per_rep = n_samples
            self.chunks_per_rep = self.n_chunks
        else:
            per_rep = max(1, n_samples // replicates)
            m = max(1, int(math.floor(math.log2(per_rep))))
            self.per_rep = 1 << m  # balanced Sobol blocks
            self.chunks_per_rep = -(-self.per_rep // CHUNK_SIZE)
            self.n_chunks = self.chunks_per_rep * replicates
            self.total = self.per_rep * replicates
        self.replicates = replicates

    def __len__(self):
        return self.n_chunks

    def __getitem__(self, i):
        if not isinstance(i, (int, np.integer)):
            raise TypeError("Plan indices are integers")
        if not 0 <= i < self.n_chunks:
            raise IndexError(i)
        if self.method == "mc":
            count = min(CHUNK_SIZE, self.total - i * CHUNK_SIZE)
            return ChunkSpec(self.lattice, "mc", count, child_seed(self.seq, i))
        r, j = divmod(int(i), self.chunks_per_rep)
        start = j * CHUNK_SIZE
        return ChunkSpec(self.lattice, "rqmc", min(CHUNK_SIZE, self.per_rep - start),
                         child_seed(self.seq, r), start=start, replicate=r)


def _merge(a, b):
    return b if a is None else a.merge(b)


class NsmState:
    """Running state of an estimate: chunk results folded in chunk order.

    MC: moments of g = ‖e‖²/(nV^{2/n}), of ‖e‖⁴/V^{4/n}, of e eᵀ/V^{2/n}, and the jackknife
    batch sums. RQMC additionally: the moments of the completed replicates' means and the
    running sums of the current replicate.
    """

    def __init__(self, plan):
        self.plan = plan
        self.next_chunk = 0
        self.g = self.fourth = self.outer = None
        self.sums = np.zeros(0)
        self.counts = np.zeros(0, dtype=np.int64)
        self.rep = [None, None, None]        # current replicate (RQMC)
        self.rep_g = self.rep_q = self.rep_o = None   # moments of completed replicate means
        self.elapsed = 0.0

    @property
    def samples_done(self):
        return 0 if self.g is None else int(self.g.count)

    @property
    def replicates_done(self):
        return 0 if self.rep_g is None else int(self.rep_g.count)

    def add(self, r: ChunkResult):
        """Fold the result of chunk ``self.next_chunk``."""
        self.g = _merge(self.g, r.g)
        self.fourth = _merge(self.fourth, r.fourth)
        self.outer = _merge(self.outer, r.outer)
        if self.plan.method == "mc":
            self.sums = np.concatenate([self.sums, r.batch_sums])
            self.counts = np.concatenate([self.counts, r.batch_counts])
            if self.sums.size > MAX_BATCHES:
                k = self.sums.size // 2 * 2
                self.sums = np.concatenate([self.sums[:k:2] + self.sums[1:k:2], self.sums[k:]])
                self.counts = np.concatenate([self.counts[:k:2] + self.counts[1:k:2],
                                              self.counts[k:]])
        else:
            cur = self.rep
            self.rep = [_merge(cur[0], r.g), _merge(cur[1], r.fourth), _merge(cur[2], r.outer)]
            if (self.next_chunk + 1) % self.plan.chunks_per_rep == 0:   # replicate complete
                g, q, o = self.rep
                one = lambda m: Moments(1, np.asarray(m.mean, dtype=np.float64),  # noqa: E731
                                        np.zeros_like(np.asarray(m.mean, dtype=np.float64)))
                self.rep_g = _merge(self.rep_g, one(g))
                self.rep_q = _merge(self.rep_q, one(q))
                self.rep_o = _merge(self.rep_o, one(o))
                self.rep = [None, None, None]
        self.next_chunk += 1

    # ------------------------------------------------------------------ checkpoint
    def _meta(self):
        L, p = self.plan.lattice, self.plan
        return {"version": STATE_VERSION, "lattice": L.name, "method": p.method,
                "total": p.total, "replicates": p.replicates, "chunk_size": CHUNK_SIZE,
                "entropy": str(p.seq.entropy), "spawn_key": list(p.seq.spawn_key),
                "generator": np.asarray(L.generator).tobytes().hex()}

    def save(self, path):
        """Write the state to ``path`` atomically (temporary file, then rename)."""
        import json
        arrays = {"meta": np.frombuffer(json.dumps(self._meta()).encode(), dtype=np.uint8),
                  "next_chunk": np.array(self.next_chunk, dtype=np.int64),
                  "elapsed": np.array(self.elapsed), "sums": self.sums, "counts": self.counts}
        for key, m in (("g", self.g), ("fourth", self.fourth), ("outer", self.outer),
                       ("rep0", self.rep[0]), ("rep1", self.rep[1]), ("rep2", self.rep[2]),
                       ("rep_g", self.rep_g), ("rep_q", self.rep_q), ("rep_o", self.rep_o)):
            if m is not None:
                arrays[key + "_count"] = np.array(m.count, dtype=np.int64)
                arrays[key + "_mean"] = np.asarray(m.mean, dtype=np.float64)
                arrays[key + "_m2"] = np.asarray(m.m2, dtype=np.float64)
        path = os.fspath(path)
        if os.path.islink(path):
            raise ValueError(f"checkpoint path {path!r} is a symbolic link: refusing to write "
                             "through it")
        tmp = f"{path}.tmp-{os.getpid()}"
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def load(self, path):
        """Restore the state saved by :meth:`save`; ValueError if it belongs to another run."""
        import json
        path = os.fspath(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"resume file {path!r} is not a readable rdptheory nsm "
                             f"checkpoint ({exc})") from None
        try:
            meta = json.loads(bytes(data["meta"]).decode())
        except (KeyError, ValueError):
            raise ValueError(f"resume file {path!r} is not an rdptheory nsm checkpoint") from None
        mine = self._meta()
        diff = [k for k in mine if meta.get(k) != mine[k]]
        if diff:
            names = {"generator": "lattice basis", "entropy": "seed", "total": "samples"}
            raise ValueError(f"resume file {path!r} belongs to another run (different "
                             + ", ".join(names.get(k, k) for k in diff)
                             + "): resume with the same lattice, --samples, --seed, --method "
                               "and --replicates")
        self.next_chunk = int(data["next_chunk"])
        self.elapsed = float(data["elapsed"])
        self.sums, self.counts = data["sums"], data["counts"]

        def mom(key):
            if key + "_count" not in data:
                return None
            mean, m2 = data[key + "_mean"], data[key + "_m2"]
            if mean.ndim == 0:
                mean, m2 = np.float64(mean), np.float64(m2)
            return Moments(int(data[key + "_count"]), mean, m2)
        self.g, self.fourth, self.outer = mom("g"), mom("fourth"), mom("outer")
        self.rep = [mom("rep0"), mom("rep1"), mom("rep2")]
        self.rep_g, self.rep_q, self.rep_o = mom("rep_g"), mom("rep_q"), mom("rep_o")
        return self
