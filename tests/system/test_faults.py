"""Elasticsearch stopped and restarted under a running gunicorn: 503 with Retry-After, recovery, nothing lost."""

import json
import os
import shlex
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT
from tests.system.conftest import TOKEN

pytestmark = pytest.mark.faults
CONTROL = os.environ.get("ES_CONTROL")


def _request(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


def _control(action):
    subprocess.run([*shlex.split(CONTROL), action], check=True, cwd=ROOT, timeout=300)


@pytest.mark.skipif(
    not CONTROL, reason="ES_CONTROL (set by scripts/test.sh) names the command that stops and starts Elasticsearch"
)
def test_outage_gives_503_then_recovers_and_loses_nothing(server):
    acknowledged = {}
    for i in range(5):
        text = f"Report {i}: the ferry between Northbridge and Eastholm was cancelled for {i + 2} days because of storms."
        status, _, body = _request(server, "POST", "/v1/documents", {"text": text, "outlet": "Coast News"}, TOKEN)
        assert status == 201
        acknowledged[body["id"]] = body["passages"]

    _control("stop")
    asked = time.monotonic()
    status, headers, problem = _request(server, "POST", "/v1/compare", {"claim": "The ferry was cancelled."})
    to_503 = time.monotonic() - asked
    assert status == 503 and int(headers["Retry-After"]) > 0 and problem["status"] == 503
    assert _request(server, "GET", "/v1/documents")[0] == 503
    health = _request(server, "GET", "/v1/health")
    assert health[0] == 503 and health[2]["elasticsearch"]["status"] == "unreachable"
    write = _request(server, "POST", "/v1/documents", {"text": "Written while the backend is down, never acknowledged."}, TOKEN)
    assert write[0] == 503

    started_at = time.monotonic()
    _control("start")
    ready_at = time.monotonic()
    deadline = time.monotonic() + 120
    while _request(server, "GET", "/v1/documents")[0] != 200:
        assert time.monotonic() < deadline, "the app did not recover without a restart"
        time.sleep(0.5)
    to_recovery = time.monotonic() - ready_at

    for doc_id, passages in acknowledged.items():
        status, _, doc = _request(server, "GET", f"/v1/documents/{doc_id}")
        assert status == 200 and len(doc["passages"]) == passages
    found = _request(
        server, "POST", "/v1/compare", {"claim": "The ferry to Eastholm was cancelled because of storms.", "limit": 50}
    )
    assert found[0] == 200
    assert {p["document_id"] for p in found[2]["supporting"] + found[2]["contradicting"]} & set(acknowledged)
    figures = {
        "seconds_to_503_once_down": round(to_503, 2),
        "elasticsearch_start_seconds": round(ready_at - started_at, 1),
        "seconds_to_recovery_once_ready": round(to_recovery, 2),
        "acknowledged_documents": len(acknowledged),
        "lost": 0,
    }
    print("\n" + json.dumps(figures))
    (ROOT / "test-output" / "faults.json").write_text(json.dumps(figures))


@pytest.mark.skipif(
    not CONTROL, reason="ES_CONTROL (set by scripts/test.sh) names the command that stops and starts Elasticsearch"
)
def test_a_write_refused_while_elasticsearch_is_down_is_matched_exactly_once_when_resent(server):
    claim = "The ferry between Northbridge and Eastholm was cancelled because of storms."
    status, _, watch = _request(server, "POST", "/v1/watches", {"claim": claim}, TOKEN)
    assert status == 201
    deadline = time.monotonic() + 120
    while _request(server, "GET", f"/v1/watches/{watch['id']}")[2]["backfill"]["status"] != "done":
        assert time.monotonic() < deadline, "the backfill did not finish"
        time.sleep(0.5)
    article = {
        "id": "ferry-storm",
        "text": "Eastholm, 3 March. The ferry between Northbridge and Eastholm was cancelled on Tuesday because of storms.",
        "outlet": "Coast News",
    }
    _control("stop")
    assert _request(server, "POST", "/v1/documents", article, TOKEN)[0] == 503
    _control("start")
    deadline = time.monotonic() + 120
    while (written := _request(server, "POST", "/v1/documents", article, TOKEN))[0] == 503:
        assert time.monotonic() < deadline, "the write was still refused after the restart"
        time.sleep(0.5)
    assert written[0] in (200, 201)
    assert _request(server, "POST", "/v1/documents", article, TOKEN)[2]["status"] == "unchanged"  # resent: no new match
    time.sleep(5)  # longer than WATCH_SETTLE_SECONDS
    status, _, page = _request(server, "GET", f"/v1/watches/{watch['id']}/matches")
    assert status == 200
    ours = [m["passage"]["passage_id"] for m in page["matches"] if m["passage"]["document_id"] == "ferry-storm"]
    assert ours, "the resent article was not matched"
    assert len(ours) == len(set(ours)), "a passage matched twice"
