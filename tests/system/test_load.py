"""A bounded load run on loopback against gunicorn: 8 concurrent clients, a mix of operations, zero errors."""

import json
import os
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from load import report, run  # noqa: E402

pytestmark = pytest.mark.load


def test_mixed_load_has_no_errors(server):
    seconds = min(float(os.environ.get("LOAD_SECONDS", "30")), 60)
    result = run(server, clients=8, seconds=seconds)
    text = report(result)
    print("\n" + text)
    (ROOT / "test-output" / "load.txt").write_text(text + "\n")
    (ROOT / "test-output" / "load.json").write_text(json.dumps({k: v for k, v in result.items() if k != "timings"}))
    assert result["errors"] == {}
    assert result["requests"] > 0 and set(result["timings"]) >= {"POST /v1/compare", "GET /v1/entities?q="}
