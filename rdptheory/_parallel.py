"""Run independent Monte Carlo chunks serially, on local processes or on a Dask cluster.

Results are yielded in chunk order whatever the backend, so a caller that merges them in that
order gets bit-identical answers for any number of workers. Randomness never depends on the
backend: each chunk carries its own ``numpy.random.SeedSequence`` child (``spawn_key`` =
chunk index), fixed by the seed and the chunking alone.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from ._validation import check_integer

__all__ = ["run_chunks", "resolve_workers", "as_seed_sequence", "as_generator"]


def resolve_workers(workers):
    """``None`` means all cores; otherwise an integer >= 1."""
    if workers is None:
        return os.cpu_count() or 1
    return check_integer(workers, "workers", lower=1)


def as_seed_sequence(rng):
    """A ``SeedSequence`` from a seed (int, None) or a ``numpy.random.Generator``.

    A Generator contributes one 128-bit draw, so the same Generator state always gives the
    same stream of chunks.
    """
    import numpy as np
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence(int(rng.integers(0, 2**63)) * 2**64
                                      + int(rng.integers(0, 2**63)))
    if rng is None or isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng is not None and int(rng) < 0:
            raise ValueError(f"rng must be a non-negative integer seed, a numpy Generator or "
                             f"None; got {rng}")
        return np.random.SeedSequence(None if rng is None else int(rng))
    raise ValueError(f"rng must be an integer seed, a numpy.random.Generator, a SeedSequence "
                     f"or None; got {type(rng).__name__}")


def as_generator(rng):
    """A ``numpy.random.Generator``: ``rng`` itself if it is one, else one seeded from
    :func:`as_seed_sequence`."""
    import numpy as np
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(as_seed_sequence(rng))


def _dask_client(scheduler):
    try:
        from distributed import Client, get_client
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ValueError("scheduler='dask' needs the optional extra: pip install "
                         "'rdptheory[dask]' (dask and distributed)") from None
    if scheduler == "dask":
        try:
            return get_client(), False
        except ValueError:
            return Client(processes=False), True
    if isinstance(scheduler, str):
        return Client(scheduler), True
    return scheduler, False  # a distributed.Client


class _DeferredInterrupt:
    """Within the block, SIGINT only sets a flag that :meth:`check` turns into a
    KeyboardInterrupt between chunks, so that Ctrl-C never lands inside compiled (numba)
    code, where it surfaces as a SystemError and the partial result is lost. Outside the main
    thread (no signal handlers there) it does nothing."""

    def __init__(self):
        self.hit = False
        self.previous = None

    def __enter__(self):
        import signal
        import threading
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum, frame):
        if self.hit:  # a second Ctrl-C: give up at once
            raise KeyboardInterrupt
        self.hit = True

    def check(self):
        if self.hit:
            raise KeyboardInterrupt

    def __exit__(self, *exc):
        import signal
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def run_chunks(fn, specs, *, workers=1, scheduler=None, on_result=None, start=0):
    """Yield ``(i, fn(specs[i]))`` for every spec from index ``start`` on, in index order.

    Parameters
    ----------
    fn : callable
        A module-level function (picklable) applied to each spec.
    specs : sequence
        Anything with ``len`` and integer indexing (a lazy plan is fine: specs are built
        only when submitted).
    workers : int or None
        Local processes (None: all cores). 1 runs in this process.
    scheduler : None, 'processes', 'dask', a scheduler address or a ``distributed.Client``
        ``None``/'processes' use local processes; 'dask' uses the current Dask client (or an
        in-process one); an address string connects to that ``distributed`` scheduler.
    on_result : callable, optional
        Called as ``on_result(i)`` when chunk i finishes (progress bars).
    start : int
        First chunk index (resuming a run).

    Notes
    -----
    Ctrl-C is taken between chunks (KeyboardInterrupt raised to the caller after the chunk
    in progress); a second Ctrl-C interrupts at once.
    """
    n = len(specs)
    with _DeferredInterrupt() as intr:
        if scheduler in (None, "processes"):
            w = resolve_workers(workers)
            if w == 1 or n - start <= 1:
                for i in range(start, n):
                    res = fn(specs[i])
                    if on_result:
                        on_result(i)
                    yield i, res
                    intr.check()
                return
            yield from _run_pool(fn, specs, w, on_result, start, intr)
            return
        yield from _run_dask(fn, specs, scheduler, on_result, start, intr)


def _ordered(pending_results, next_index):
    while next_index in pending_results:
        yield next_index, pending_results.pop(next_index)
        next_index += 1


def _run_pool(fn, specs, w, on_result, start, intr):
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    n = len(specs)
    w = max(1, min(w, n - start))
    pool = ProcessPoolExecutor(max_workers=w, mp_context=ctx)
    futures, done_results = {}, {}
    nxt, submitted = start, start
    try:
        while nxt < n:
            while submitted < n and len(futures) < 3 * w:
                futures[pool.submit(fn, specs[submitted])] = submitted
                submitted += 1
            done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
            for f in done:
                i = futures.pop(f)
                done_results[i] = f.result()
                if on_result:
                    on_result(i)
            while nxt in done_results:
                yield nxt, done_results.pop(nxt)
                nxt += 1
            intr.check()
    finally:
        for f in futures:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(fn, specs, scheduler, on_result, start, intr):
    from distributed import as_completed
    client, owned = _dask_client(scheduler)
    window = max(64, 4 * sum(client.nthreads().values()))
    done_results, nxt, n = {}, start, len(specs)
    run_id = uuid.uuid4().hex
    try:
        first = range(start, min(start + window, n))
        batch = [client.submit(fn, specs[i], pure=False, key=f"rdptheory-{run_id}-{i}")
                 for i in first]
        index = {f.key: i for f, i in zip(batch, first)}
        submitted = first.stop
        ac = as_completed(batch)
        for f in ac:
            i = index.pop(f.key)
            done_results[i] = f.result()
            f.release()
            if on_result:
                on_result(i)
            if submitted < n:
                nf = client.submit(fn, specs[submitted], pure=False,
                                   key=f"rdptheory-{run_id}-{submitted}")
                index[nf.key] = submitted
                submitted += 1
                ac.add(nf)
            while nxt in done_results:
                yield nxt, done_results.pop(nxt)
                nxt += 1
            intr.check()
    finally:
        if owned:
            client.close()
