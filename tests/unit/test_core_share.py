"""Cores handed out a forward pass at a time among processes (text.core_share): lock files, one a core."""

import threading
import time

import pytest

from text import core_share
from text.core_share import Cores, forward_pass, share_cores

torch = pytest.importorskip("torch")


def test_a_lone_process_takes_every_core(tmp_path):
    cores = Cores(2, tmp_path)
    taken = cores.take()
    assert len(taken) == 2
    cores.give(taken)
    assert len(cores.take()) == 2


def test_a_second_process_waits_for_a_core_then_both_share(tmp_path):
    first, second = Cores(2, tmp_path), Cores(2, tmp_path)  # separate lock descriptors, as two processes hold
    held = first.take()
    got: list[list[int]] = []
    waiter = threading.Thread(target=lambda: got.append(second.take()))
    waiter.start()
    time.sleep(0.3)
    assert not got  # both cores are held: it waits
    first.give(held)
    waiter.join(timeout=10)
    assert got and len(got[0]) >= 1
    second.give(got[0])
    assert len(first.take()) == 2


def test_a_forward_pass_runs_torch_on_the_cores_it_holds(tmp_path):
    before = torch.get_num_threads()
    other = Cores(2, tmp_path)
    try:
        share_cores(2, tmp_path)
        with forward_pass() as alone:
            assert alone == 2 and torch.get_num_threads() == 2
        busy = other.take()
        other.give(busy[1:])  # another process holds one core
        with forward_pass() as shared:
            assert shared == 1 and torch.get_num_threads() == 1
        other.give(busy[:1])
        # back to every core only once they have stayed free (each change of torch's count clears its kernel cache)
        for _ in range(core_share.RISE_AFTER - 1):
            with forward_pass() as still:
                assert still == 1 and torch.get_num_threads() == 1
        with forward_pass() as again:
            assert again == 2 and torch.get_num_threads() == 2
    finally:
        share_cores(0)
        torch.set_num_threads(before)
    with forward_pass() as off:
        assert off == 0 and torch.get_num_threads() == before


def test_verdicts_do_not_depend_on_how_many_cores_a_pass_got():
    """Sharing hands a pass one core or all of them by load: the numbers must not change with it."""
    from stance.engine import WEIGHTS, StanceEngine
    from text.embedding import embed_passages
    from text.torch_thread import on_torch_thread

    claim = "The government raised the fuel tax in March."
    passages = [
        "The fuel tax went up in March, the finance ministry confirmed.",
        "Regjeringen nektet for at drivstoffavgiften ble økt.",
        "Bränsleskatten sänktes i mars enligt regeringen.",
        "The football season ended with a draw in the capital.",
    ]
    engine = StanceEngine(WEIGHTS, bf16=False)
    before = on_torch_thread(torch.get_num_threads)
    read = {}
    try:
        for threads in (1, 2):
            on_torch_thread(torch.set_num_threads, threads)
            read[threads] = (engine.probabilities(claim, passages), embed_passages(passages).tolist())
    finally:
        on_torch_thread(torch.set_num_threads, before)
    assert read[1] == read[2]
