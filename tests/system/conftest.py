"""A real gunicorn serving a seeded prefix on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from api.services.archive import restates
from index.ingest import build
from index.names import IndexNames
from tests.conftest import ES_URL, ROOT, drop_indices

TOKEN = "system-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    return False


@contextmanager
def gunicorn(env_overrides: dict[str, str]) -> Iterator[str]:
    """gunicorn --config gunicorn.conf.py api.wsgi:app on a free loopback port, with some variables set; its URL."""
    port = _free_port()
    env = (
        os.environ
        | {
            "API_TOKENS": TOKEN,
            "COMPARE_RATE_LIMIT": "100000/minute",
            "ES_REQUEST_TIMEOUT": "5",
            "BIND": f"127.0.0.1:{port}",  # the rest (workers, threads, timeout) from gunicorn.conf.py, as served
        }
        | env_overrides
    )
    log = open(ROOT / "test-output" / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed below
    executable = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(executable), "--config", str(ROOT / "gunicorn.conf.py"), "api.wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(base + "/v1/health", 120):
            pytest.fail("gunicorn did not come up; see test-output/gunicorn-*.log")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def server(es, seed_docs) -> Iterator[str]:
    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    build(es, names, seed_docs, restates=restates)  # as `python -m api index` builds it
    try:
        with gunicorn({"ELASTICSEARCH_URL": ES_URL, "INDEX_PREFIX": names.prefix}) as base:
            yield base
    finally:
        drop_indices(es, names.prefix)
