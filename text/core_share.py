"""The machine's cores handed out one forward pass at a time among the processes that serve at once (gunicorn's
workers), so a lone compare uses every core and busy workers share them instead of fighting over them.

Each core is a lock file (`flock`, released by the kernel when a process dies). Before a forward pass a process takes
every core that is free, waits for one when none is, and runs torch on as many threads as it holds; after the pass it
gives them back. Two workers on 2 cores, both busy, then run one thread each; one alone runs two. Fixed thread
counts cannot do both: two threads a worker made two busy workers 5x slower each (their threads spin against each
other), one thread a worker made a lone fp32 compare 1.6x slower (bench/results/torch_thread.txt).

Off (every pass uses torch's threads as set) until `share_cores` turns it on; the app does where several workers
serve (api.models.configure_models).
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Cores:
    """`count` cores as lock files in `folder`, shared by every process that opens the same folder."""

    def __init__(self, count: int, folder: Path) -> None:
        self.count = count
        self.folder = folder
        self._files: tuple[int, list[int]] | None = None  # (pid, descriptors): a forked child opens its own

    def _descriptors(self) -> list[int]:
        if self._files is None or self._files[0] != os.getpid():
            self.folder.mkdir(parents=True, exist_ok=True)
            fds = [os.open(self.folder / f"core-{k}", os.O_RDWR | os.O_CREAT, 0o600) for k in range(self.count)]
            self._files = (os.getpid(), fds)
        return self._files[1]

    def take(self) -> list[int]:
        """The cores free now (descriptors), or, when none is, one after waiting for it (and any freed meanwhile)."""
        fds = self._descriptors()
        taken = [fd for fd in fds if _try_lock(fd)]
        if not taken:
            first = fds[os.getpid() % len(fds)]
            fcntl.flock(first, fcntl.LOCK_EX)
            taken = [first, *(fd for fd in fds if fd != first and _try_lock(fd))]
        return taken

    def give(self, taken: list[int]) -> None:
        for fd in taken:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


_shared: Cores | None = None
_threads_now = 0
_all_free = 0  # passes in a row that found every core free
# passes in a row that must find every core free before a process that ran on fewer goes back to all of them:
# changing torch's thread count clears oneDNN's kernel cache, so under steady load a worker keeps its one core
RISE_AFTER = 8


def share_cores(count: int, folder: Path | None = None) -> None:
    """Share `count` cores per forward pass with the other processes that share `folder` (by default one per user
    in the temporary folder: every process of this user on this machine); 0: stop sharing."""
    global _shared, _threads_now, _all_free
    _threads_now = _all_free = 0
    _shared = Cores(count, folder or Path(tempfile.gettempdir()) / f"claimcheck-cores-{os.getuid()}") if count else None


@contextmanager
def forward_pass() -> Iterator[int]:
    """Around one forward pass (on the torch thread): the cores it may use, taken for it while cores are shared, and
    torch set to as many threads; 0 (and nothing changed) while they are not."""
    global _threads_now, _all_free
    shared = _shared
    if shared is None:
        yield 0
        return
    import torch

    if not _threads_now:
        _threads_now = torch.get_num_threads()  # set torch's count only to change it: setting it clears caches
    taken = shared.take()
    _all_free = _all_free + 1 if len(taken) == shared.count else 0
    if _threads_now < len(taken) and _all_free < RISE_AFTER:  # fewer than all until the cores stay free
        shared.give(taken[_threads_now:])
        taken = taken[:_threads_now]
    try:
        if len(taken) != _threads_now:
            torch.set_num_threads(len(taken))
            _threads_now = len(taken)
        yield len(taken)
    finally:
        shared.give(taken)
