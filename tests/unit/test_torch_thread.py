"""Every torch computation the product serves runs on one thread per process (text.torch_thread)."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from text.torch_thread import on_torch_thread, run_torch_here, set_threads, torch_here

torch = pytest.importorskip("torch")


def test_work_from_any_thread_runs_on_the_same_thread_and_not_the_callers():
    with ThreadPoolExecutor(4) as pool:
        callers = [threading.get_ident(), *pool.map(lambda _: threading.get_ident(), range(4))]
        ran_on = {on_torch_thread(threading.get_ident), *pool.map(lambda _: on_torch_thread(threading.get_ident), range(8))}
    assert len(ran_on) == 1
    assert not ran_on & set(callers)


def test_work_handed_in_from_the_torch_thread_runs_at_once():
    outer, inner = on_torch_thread(lambda: (threading.get_ident(), on_torch_thread(threading.get_ident)))
    assert outer == inner


def test_what_the_work_raises_reaches_the_caller():
    def fails() -> None:
        raise ValueError("bad pair")

    with pytest.raises(ValueError, match="bad pair"):
        on_torch_thread(fails)


def _child(queue: "multiprocessing.Queue[int]") -> None:
    queue.put(on_torch_thread(lambda: 7))


def test_a_forked_child_gets_a_torch_thread_of_its_own():
    on_torch_thread(lambda: None)  # the parent's thread exists before the fork
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive and child.exitcode == 0
    assert queue.get(timeout=5) == 7


def test_the_embedder_and_the_stance_model_run_on_the_torch_thread():
    from stance.engine import WEIGHTS, StanceEngine
    from text.embedding import _model, _TorchE5, embed_query

    torch_thread = on_torch_thread(threading.get_ident)
    seen: list[int] = []
    embedder = on_torch_thread(_model)
    assert isinstance(embedder, _TorchE5)
    engine = StanceEngine(WEIGHTS, bf16=False)
    hooks = [m.register_forward_pre_hook(lambda *_: seen.append(threading.get_ident())) for m in (embedder.model, engine.model)]
    try:
        with ThreadPoolExecutor(2) as pool:
            pool.submit(embed_query, "The bridge was closed in May.").result()
            pool.submit(engine.probabilities, "The bridge was closed in May.", ["The bridge closed in May."]).result()
    finally:
        for hook in hooks:
            hook.remove()
    assert len(seen) == 2
    assert set(seen) == {torch_thread}


def test_set_threads_reaches_the_torch_thread():
    before = on_torch_thread(torch.get_num_threads)
    try:
        set_threads(1)
        assert on_torch_thread(torch.get_num_threads) == 1
    finally:
        set_threads(before)
    assert on_torch_thread(torch.get_num_threads) == before


def test_a_thread_that_runs_its_own_torch_work_is_not_handed_to_the_torch_thread():
    torch_thread = on_torch_thread(threading.get_ident)

    def background() -> tuple[int, int]:
        run_torch_here()
        return threading.get_ident(), on_torch_thread(threading.get_ident)

    with ThreadPoolExecutor(1) as pool:
        caller, ran_on = pool.submit(background).result()
    assert ran_on == caller != torch_thread
    assert on_torch_thread(threading.get_ident) == torch_thread  # everyone else still hands work over


def test_within_torch_here_the_caller_runs_its_own_torch_work_and_after_it_hands_it_over():
    torch_thread = on_torch_thread(threading.get_ident)
    with torch_here():
        assert on_torch_thread(threading.get_ident) == threading.get_ident()
    assert on_torch_thread(threading.get_ident) == torch_thread


def test_work_handed_in_at_exit_still_runs():
    """Backfills finish the page they are judging in an atexit hook: the torch thread must still take work then."""
    import subprocess
    import sys

    script = (
        "import atexit\n"
        "from text.torch_thread import on_torch_thread\n"
        "on_torch_thread(lambda: None)\n"
        "atexit.register(lambda: print('at exit', on_torch_thread(lambda: 7), flush=True))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "at exit 7"
