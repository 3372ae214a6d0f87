"""nsm_estimate at scale: lazy chunk plan (memory independent of the sample count), Ctrl-C
keeps the partial estimate, checkpoint/resume is bit-identical (issue 14 items 3, 4, 9;
issue 17 §3)."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc

import numpy as np
import pytest

from rdptheory.cli import main
from rdptheory.nsm import NsmInterrupted, nsm_estimate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _stop_after(k):
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == k:
            raise KeyboardInterrupt
    return progress


def _same(a, b):
    assert a.estimate == b.estimate and a.stderr == b.stderr and a.n_samples == b.n_samples
    assert a.fourth_moment == b.fourth_moment and a.whiteness == b.whiteness
    assert a.jackknife_stderr == b.jackknife_stderr or (np.isnan(a.jackknife_stderr)
                                                        and np.isnan(b.jackknife_stderr))
    np.testing.assert_array_equal(a.autocorrelation, b.autocorrelation)
    np.testing.assert_array_equal(a.autocorrelation_stderr, b.autocorrelation_stderr)


# ------------------------------------------------------------------ item 3: lazy planning
@pytest.mark.parametrize("kwargs", [dict(n_samples=10 ** 20),
                                    dict(n_samples=4 * 10 ** 6, method="rqmc",
                                         replicates=10 ** 6)])
def test_memory_does_not_grow_with_the_sample_count(kwargs):
    nsm_estimate("D4", 1 << 12, rng=0, method="rqmc")   # imports and compilation first
    tracemalloc.start()
    try:
        t0 = time.perf_counter()
        with pytest.raises(NsmInterrupted) as exc:
            nsm_estimate("D4", rng=1, workers=1, progress=_stop_after(3), **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30e6, f"peak traced memory {peak / 1e6:.0f} MB"
    assert time.perf_counter() - t0 < 20
    assert exc.value.partial is not None and exc.value.partial.n_samples >= 2


def test_plan_is_lazy_and_matches_spawn():
    from rdptheory._nsm_state import Plan
    from rdptheory.lattices import get
    seq = np.random.SeedSequence(5)
    plan = Plan(get("E8"), 10 ** 18, "mc", seq, 16)
    assert len(plan) == -(-10 ** 18 // 65536)
    last = plan[len(plan) - 1]
    assert last.count == 10 ** 18 - (len(plan) - 1) * 65536
    kids = np.random.SeedSequence(5).spawn(3)
    assert plan[2].seed.generate_state(4).tolist() == kids[2].generate_state(4).tolist()


# ------------------------------------------------------------------ item 4: Ctrl-C
def test_real_sigint_with_one_worker_keeps_the_partial_estimate():
    nsm_estimate("E8", 1 << 16, rng=0, workers=1)          # compile outside the timing
    for delay in (0.3, 0.37, 0.45, 0.52, 0.61, 0.7):
        timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        try:
            with pytest.raises(NsmInterrupted) as exc:
                nsm_estimate("E8", 1 << 30, rng=1, workers=1)
        finally:
            timer.cancel()
        p = exc.value.partial
        assert p is not None and not p.complete and p.n_samples % 65536 == 0
        assert abs(p.estimate - 929 / 12960) < 5 * p.stderr


def test_rqmc_partial_estimate_before_the_second_replicate():
    with pytest.raises(NsmInterrupted) as exc:
        nsm_estimate("D4", 1 << 22, rng=2, method="rqmc", replicates=4, workers=1,
                     progress=_stop_after(3))
    p = exc.value.partial
    assert p is not None and p.method == "rqmc" and not p.complete
    assert p.n_samples == 2 * 65536 and p.stderr > 0
    assert abs(p.estimate - 13 / (120 * 2 ** 0.5)) < 5 * p.stderr


def test_ctrl_c_during_start_up_prints_one_line(monkeypatch, capsys):
    import rdptheory.lattices as lat

    def boom(name):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:   # what numba turns a Ctrl-C into
            raise SystemError("CPUDispatcher(<function>) returned a result with an "
                              "exception set") from e
    monkeypatch.setattr(lat, "get", boom)
    assert main(["nsm", "E8", "--no-progress"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err and err.count("\n") == 1


# ------------------------------------------------------------------ item 9
def test_at_least_two_samples(capsys):
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2"):
        nsm_estimate("E8", 1)
    assert main(["nsm", "E8", "--samples", "1", "--no-progress"]) == 2
    assert "--samples must be an integer >= 2" in capsys.readouterr().err


# ------------------------------------------------------------------ checkpoint / resume
@pytest.mark.parametrize("method", ["mc", "rqmc"])
def test_resume_is_bit_identical(tmp_path, method):
    kw = dict(rng=9, workers=1, method=method, replicates=4)
    N = 10 * 65536 + 123 if method == "mc" else 4 * (1 << 17)
    ref = nsm_estimate("D4", N, **kw)
    ck = tmp_path / "state.npz"
    with pytest.raises(NsmInterrupted):
        nsm_estimate("D4", N, checkpoint=ck, checkpoint_every=1e-9, progress=_stop_after(5),
                     **kw)
    assert ck.exists()
    _same(nsm_estimate("D4", N, resume=ck, **kw), ref)
    # resuming a finished state just reports it
    _same(nsm_estimate("D4", N, resume=ck, **kw), ref)


def test_resume_refuses_another_run(tmp_path):
    ck = tmp_path / "state.npz"
    nsm_estimate("D4", 3 * 65536, rng=1, checkpoint=ck)
    for kw, what in ((dict(rng=2), "seed"), (dict(n_samples=4 * 65536), "samples")):
        args = dict(lattice="D4", n_samples=3 * 65536, rng=1, resume=ck)
        args.update(kw)
        with pytest.raises(ValueError, match=what):
            nsm_estimate(**args)
    with pytest.raises(ValueError, match="another run"):
        nsm_estimate("E8", 3 * 65536, rng=1, resume=ck)
    (tmp_path / "junk.npz").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a readable"):
        nsm_estimate("D4", 3 * 65536, rng=1, resume=tmp_path / "junk.npz")


@pytest.mark.slow
def test_cli_run_killed_midway_resumes_to_the_same_result(tmp_path):
    """SIGKILL (no chance to clean up) mid-run, then --resume: bit-identical JSON."""
    ck = tmp_path / "leech.npz"
    args = ["nsm", "D4", "--samples", str(60 * 65536), "--seed", "3", "--workers", "1",
            "--json", "--no-progress"]
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "rdptheory", *args, "--checkpoint", str(ck),
                             "--checkpoint-every", "0.05"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    t0 = time.time()
    while not ck.exists() and time.time() - t0 < 60 and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    assert ck.exists()
    with np.load(ck) as z:
        done = int(z["next_chunk"])
    assert 0 < done, "no chunk was saved"
    out = subprocess.run([sys.executable, "-m", "rdptheory", *args, "--resume", str(ck)],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    ref = nsm_estimate("D4", 60 * 65536, rng=3, workers=1)
    assert got["estimate"] == ref.estimate and got["stderr"] == ref.stderr
    assert got["jackknife_stderr"] == ref.jackknife_stderr
    assert got["autocorrelation"] == ref.autocorrelation.tolist()


@pytest.mark.slow
def test_resume_on_dask_and_on_processes_is_bit_identical(tmp_path):
    pytest.importorskip("distributed")
    N = 12 * 65536
    ref = nsm_estimate("D4", N, rng=4, workers=1)
    for k, backend in enumerate((dict(scheduler="dask"), dict(workers=2))):
        ck = tmp_path / f"s{k}.npz"
        with pytest.raises(NsmInterrupted):
            nsm_estimate("D4", N, rng=4, workers=1, checkpoint=ck, checkpoint_every=1e-9,
                         progress=_stop_after(4))
        _same(nsm_estimate("D4", N, rng=4, resume=ck, **backend), ref)
