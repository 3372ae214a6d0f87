"""Writing result files safely: check the output folder before a long run, never write
through a symbolic link, and replace files atomically (a temporary name in the same folder,
renamed when complete), so a crash never leaves a half-written or stale-but-plausible report.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["check_output_dir", "check_target", "atomic_writer", "write_texts_atomically"]


def _default_mode():
    """The mode a plain open() would give a new file (0666 minus the umask); mkstemp's files
    are 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_output_dir(path, option="--out", files=()):
    """Create ``path`` (and parents) if needed and check that files can be created in it.

    Raises ``ValueError`` naming ``option`` if the path exists but is not a folder, cannot be
    created, or is not writable. Called before a long run, so a bad path fails in a second
    rather than after the work is done. ``files`` (names inside ``path``) are checked with
    :func:`check_target` too.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ValueError(f"{option} {str(p)!r} exists and is not a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".rdptheory-write-test-", dir=p)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"{option} {str(p)!r} is not a writable folder "
                         f"({exc.strerror or exc})") from None
    for name in files:
        check_target(p / name)
    return p


def check_target(path):
    """Refuse to write ``path`` when it is a symbolic link (writing would change the link's
    target, possibly a file elsewhere) or an existing folder."""
    p = Path(path)
    if p.is_symlink():
        raise ValueError(f"refusing to write {str(p)!r}: it is a symbolic link (to "
                         f"{os.readlink(p)!r}); remove it or choose another --out folder")
    if p.is_dir():
        raise ValueError(f"cannot write {str(p)!r}: a folder of that name exists")
    return p


@contextlib.contextmanager
def atomic_writer(path):
    """Yield a temporary path beside ``path``; on success rename it to ``path`` (atomic on
    POSIX), on error remove it. Refuses symlinked targets (:func:`check_target`)."""
    target = check_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp" + target.suffix,
                               dir=target.parent)
    os.close(fd)
    try:
        os.chmod(tmp, _default_mode())
        yield Path(tmp)
        check_target(target)  # no link may have appeared meanwhile
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_texts_atomically(files):
    """Write several text files as one step: ``files`` maps path -> text. All are written to
    temporary names first and renamed only when every one is complete, so an error while
    writing leaves the previous files (or none) rather than a mixture."""
    targets = [check_target(p) for p in files]
    temps = []
    try:
        for target, text in zip(targets, files.values()):
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=target.parent)
            temps.append(tmp)
            os.chmod(tmp, _default_mode())
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
        for target in targets:
            check_target(target)
        for tmp, target in zip(temps, targets):
            os.replace(tmp, target)
        temps = []
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return targets
