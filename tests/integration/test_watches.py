"""Watched claims against a real Elasticsearch and the real models: matches at ingest, the polling cursor, backfill,
bad input. Every article here is written for the test (none is a seed)."""

from __future__ import annotations

import time
from http.server import ThreadingHTTPServer

import pytest

from api import create_app
from api.config import Settings
from api.services.documents import to_document
from index.ingest import build
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration
TOKEN = "watch-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLAIM = "The US flew ISIS fighters from Raqqa to Deir ez-Zor."
REPORT = (
    "Damascus, 14 October. Russian state television reported on Saturday that American helicopters flew ISIS fighters "
    "out of Raqqa before the city fell. According to the report, the US flew the ISIS fighters from Raqqa to Deir "
    "ez-Zor, where they were sent into battle against the Syrian army."
)
DENIAL = (
    "Washington, 15 October. The Pentagon rejected the Russian report on Sunday. The United States did not fly any "
    "ISIS fighters from Raqqa to Deir ez-Zor, a spokesman said, calling the story fabricated."
)
UNRELATED = (
    "The council of Northbridge approved the new harbour plan on Monday after a long debate. "
    "Mayor Anna Lind said the plan would create two hundred jobs."
)
LATER = (
    "Stockholm, 20 October. A Swedish newspaper repeated the claim on Friday: the US flew ISIS fighters from Raqqa "
    "to Deir ez-Zor, it wrote, citing Russian television."
)


@pytest.fixture
def watching(es, fresh_names):
    build(es, fresh_names, [to_document({"id": "harbour", "text": UNRELATED, "outlet": "Northbridge Post"})])
    settings = Settings.from_env(
        elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, api_tokens=TOKEN, warm_models=False, watch_settle_seconds=0.5
    )
    return create_app(settings).test_client()


def _write(client, doc_id, text, outlet):
    resp = client.post("/v1/documents", json={"id": doc_id, "text": text, "outlet": outlet}, headers=AUTH)
    assert resp.status_code in (200, 201), resp.get_json()


def _poll(client, watch_id, since=None):
    params = {"since": since} if since else {}
    resp = client.get(f"/v1/watches/{watch_id}/matches", query_string=params)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _settled(client, watch_id, want, since=None, seconds=30):
    """Poll until `want` matches arrived after `since` (or time runs out); every match, and the last cursor."""
    got, cursor = [], since
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _poll(client, watch_id, cursor)
        got += page["matches"]
        cursor = page["next_cursor"]
        if len(got) >= want:
            break
        time.sleep(0.5)
    return got, cursor


def _backfilled(client, watch_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        watch = client.get(f"/v1/watches/{watch_id}").get_json()
        if watch["backfill"]["status"] in ("done", "failed"):
            return watch
        time.sleep(0.5)
    pytest.fail("the backfill did not finish")


def test_a_report_and_a_denial_become_matches_on_their_sides_and_an_unrelated_article_none(watching):
    client = watching
    created = client.post("/v1/watches", json={"claim": CLAIM, "label": "raqqa-evacuation"}, headers=AUTH)
    assert created.status_code == 201, created.get_json()
    watch = created.get_json()
    assert created.headers["Location"].endswith(f"/v1/watches/{watch['id']}")
    assert watch["claim_language"] == "en" and "secret" not in watch  # no webhook, no secret
    assert _backfilled(client, watch["id"])["backfill"]["status"] == "done"
    _write(client, "report", REPORT, "Syria Monitor")
    _write(client, "denial", DENIAL, "Wire Desk")
    _write(client, "unrelated", UNRELATED.replace("Monday", "Tuesday"), "Northbridge Post")
    matches, cursor = _settled(client, watch["id"], 2)
    time.sleep(1.0)
    matches += _poll(client, watch["id"], cursor)["matches"]
    sides = {m["passage"]["document_id"]: m["stance"] for m in matches}
    assert sides.get("report") == "supports", matches
    assert sides.get("denial") == "contradicts", matches
    assert "unrelated" not in sides and "harbour" not in sides
    assert len({m["match_id"] for m in matches}) == len(matches), "no match read twice"
    for m in matches:
        assert m["via"] == "ingest" and m["watch_id"] == watch["id"] and m["passage"]["text"]
    detail = client.get(f"/v1/watches/{watch['id']}").get_json()
    assert detail["matches"].get("contradicts", 0) >= 1
    assert detail["newest_contradicting"]["passage"]["document_id"] == "denial"
    listed = client.get("/v1/watches").get_json()
    assert [w["id"] for w in listed["watches"]] == [watch["id"]] and listed["total"] == 1


def test_polling_with_the_cursor_yields_every_match_once_across_ingests_and_a_late_watch_backfills(watching):
    client = watching
    _write(client, "report", REPORT, "Syria Monitor")
    late = client.post("/v1/watches", json={"claim": CLAIM}, headers=AUTH).get_json()
    watch = _backfilled(client, late["id"])
    assert watch["backfill"]["status"] == "done" and watch["backfill"]["total"] >= 1
    first, cursor = _settled(client, late["id"], 1)
    assert [m["passage"]["document_id"] for m in first] and {m["via"] for m in first} == {"backfill"}
    assert _poll(client, late["id"], cursor)["matches"] == [], "nothing new, nothing repeated"
    _write(client, "denial", DENIAL, "Wire Desk")
    _write(client, "report", REPORT, "Syria Monitor")  # unchanged: matched again, stored once
    second, cursor = _settled(client, late["id"], 1, cursor)
    _write(client, "later", LATER, "Stockholm Daily")
    third, cursor = _settled(client, late["id"], 1, cursor)
    time.sleep(1.0)
    rest = _poll(client, late["id"], cursor)["matches"]
    ids = [m["match_id"] for m in first + second + third + rest]
    assert len(ids) == len(set(ids)), "a match read twice"
    everything, _ = _settled(client, late["id"], len(ids))
    assert sorted(m["match_id"] for m in everything) == sorted(ids), "the cursor skipped a match"
    docs = {m["passage"]["document_id"] for m in everything}
    assert {"report", "denial", "later"} <= docs
    repeats = [m for m in everything if m["repeat"]]
    origins = [m["origin_id"] for m in everything if not m["repeat"]]
    assert len(origins) == len(set(origins)) and all(m["origin_id"] in origins for m in repeats)


def test_bad_input_and_unknown_watches_get_problems_naming_the_field(watching):
    client = watching
    cases = [
        ({"claim": CLAIM, "webhook_url": "not a url"}, "webhook_url"),
        ({"claim": CLAIM, "webhook_url": "ftp://example.org/hook"}, "webhook_url"),
        ({"claim": "x" * 1001}, "claim"),
        ({"claim": "   "}, "claim"),
        ({"claim": CLAIM, "claim_language": "de"}, "claim_language"),
        ({"claim": CLAIM, "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        resp = client.post("/v1/watches", json=body, headers=AUTH)
        assert resp.status_code == 422 and resp.mimetype == "application/problem+json", body
        assert field in {e["field"] for e in resp.get_json()["errors"]}
    assert client.post("/v1/watches", json={"claim": CLAIM}).status_code == 401
    for path in ("/v1/watches/w-unknown", "/v1/watches/w-unknown/matches"):
        missing = client.get(path)
        assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.delete("/v1/watches/w-unknown", headers=AUTH).status_code == 404
    bad = client.get("/v1/watches/w-unknown/matches", query_string={"since": "garbage"})
    assert bad.status_code in (404, 422)
    created = client.post("/v1/watches", json={"claim": CLAIM}, headers=AUTH).get_json()
    wrong = client.get(f"/v1/watches/{created['id']}/matches", query_string={"since": "garbage"})
    assert wrong.status_code == 422 and "since" in wrong.get_data(as_text=True)
    assert client.delete(f"/v1/watches/{created['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/v1/watches/{created['id']}").status_code == 404


class _Receiver:
    """A webhook receiver on a loopback port, started when asked (until then the port refuses connections)."""

    def __init__(self) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.received: list[tuple[dict, bytes]] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler

        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()


def test_a_webhook_receiver_that_is_down_gets_the_signed_match_once_it_is_back(es, fresh_names):
    import hashlib
    import hmac
    import json

    build(es, fresh_names, [to_document({"id": "harbour", "text": UNRELATED, "outlet": "Northbridge Post"})])
    settings = Settings.from_env(
        elasticsearch_url=ES_URL,
        index_prefix=fresh_names.prefix,
        api_tokens=TOKEN,
        warm_models=False,
        watch_settle_seconds=0.5,
        webhook_retry_seconds=0.5,
    )
    client = create_app(settings).test_client()
    receiver = _Receiver()
    created = client.post("/v1/watches", json={"claim": CLAIM, "webhook_url": receiver.url}, headers=AUTH).get_json()
    secret = created["secret"]
    assert len(secret) >= 32 and "secret" not in client.get(f"/v1/watches/{created['id']}").get_json()
    _write(client, "report", REPORT, "Syria Monitor")
    _write(client, "denial", DENIAL, "Wire Desk")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the receiver is down: the failure is visible on the watch
        delivery = client.get(f"/v1/watches/{created['id']}").get_json()["delivery"]
        if delivery["last_error"] and delivery["attempts"] >= 1:
            break
        time.sleep(0.5)
    assert delivery["last_error"] and delivery["next_retry"] and delivery["delivered"] == 0
    receiver.start()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(receiver.received) < 2:
            time.sleep(0.5)
        assert receiver.received, "the match never arrived once the receiver was back"
        time.sleep(2.0)
        matches = _settled(client, created["id"], 2)[0]
        expected = {m["match_id"] for m in matches}
        got = set()
        for headers, body in receiver.received:
            sent = {k.lower(): v for k, v in headers.items()}
            assert sent["x-claimcheck-signature"] == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            payload = json.loads(body)
            assert payload["watch_id"] == created["id"] and payload["claim"] == CLAIM
            assert sent["x-claimcheck-delivery"] == payload["match"]["match_id"]
            got.add(payload["match"]["match_id"])
        assert got == expected
        sides = {json.loads(b)["match"]["passage"]["document_id"]: json.loads(b)["match"]["stance"] for _, b in receiver.received}
        assert sides.get("report") == "supports" and sides.get("denial") == "contradicts", sides
        delivery = client.get(f"/v1/watches/{created['id']}").get_json()["delivery"]
        assert delivery["delivered"] == len(expected) and delivery["attempts"] == 0
    finally:
        receiver.stop()


def test_the_cli_adds_a_watch_backfills_it_and_reads_its_matches(es, fresh_names, monkeypatch, capsys):
    import json

    from api.cli import main

    build(es, fresh_names, [to_document({"id": "report", "text": REPORT, "outlet": "Syria Monitor"})])
    monkeypatch.setenv("ELASTICSEARCH_URL", ES_URL)
    monkeypatch.setenv("INDEX_PREFIX", fresh_names.prefix)
    monkeypatch.setenv("WATCH_SETTLE_SECONDS", "0.5")
    assert main(["watch", "add", CLAIM, "--label", "raqqa"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["label"] == "raqqa" and created["backfill"]["status"] in ("pending", "running", "done")
    assert main(["watch", "list"]) == 0
    assert [w["id"] for w in json.loads(capsys.readouterr().out)["watches"]] == [created["id"]]
    time.sleep(1.5)
    assert main(["watch", "matches", created["id"]]) == 0
    page = json.loads(capsys.readouterr().out)
    assert {m["passage"]["document_id"] for m in page["matches"]} == {"report"} and page["next_cursor"]
    assert {m["via"] for m in page["matches"]} == {"backfill"}
    assert main(["watch", "matches", created["id"], "--since", page["next_cursor"]]) == 0
    assert json.loads(capsys.readouterr().out)["matches"] == []
    assert main(["watch", "matches", "w-nope"]) == 2
    assert main(["watch", "add", CLAIM, "--webhook", "not a url"]) == 2
    assert "invalid webhook_url" in capsys.readouterr().err


def test_an_update_after_the_watches_index_is_gone_never_recreates_it(es, fresh_names):
    """A backfill or delivery thread still running when its archive is dropped must not bring back an unmapped
    watches index (Elasticsearch's update would auto-create it)."""
    from index.errors import NotFound
    from index.watches import WatchStore

    store = WatchStore(es, fresh_names)
    store.create({"watch_id": "w-gone", "claim": CLAIM, "claim_language": "en", "created": "2026-12-03T00:00:00Z"})
    es.indices.delete(index=store.watches)
    with pytest.raises(NotFound):
        store.update("w-gone", {"label": "late"})
    assert not es.indices.exists(index=store.watches)


def test_a_written_passage_is_read_only_where_compares_candidate_budget_would_take_it(es, fresh_names):
    """With a budget of two (one place by margin, one by closeness to the counter-claims) and two on-topic articles
    in the archive, a passage just over the floor and far from the counter-claims is not read; one closer to the
    claim than anything archived is, and so is one on topic outright whatever its rank."""
    import numpy as np

    from api.services.archive import connect
    from api.services.watch_bar import Bars, read
    from api.services.watches import create
    from stance.engine import candidate_floor, relevance_threshold

    docs = [("report", REPORT, "Damascus Daily"), ("later", LATER, "Stockholm Tribune")]
    build(es, fresh_names, [to_document({"id": i, "text": t, "outlet": o}) for i, t, o in docs])
    settings = Settings.from_env(
        elasticsearch_url=ES_URL, index_prefix=fresh_names.prefix, warm_models=False, compare_candidates=2, compare_counter=1
    )
    archive = connect(settings)
    watch = archive.watches.get(create(archive, settings, {"claim": CLAIM}, backfill="none")["id"])
    bar = read(archive, settings, watch)
    assert len(bar.margins) == 1 and sum(map(len, bar.counter.values())) == 1  # both places held by the archive

    claim = np.asarray(watch["vector"], dtype=np.float64)
    counter = np.asarray(watch["counter"]["en"], dtype=np.float64)
    away = -(counter - counter.dot(claim) * claim)  # away from the counter-claims, orthogonal to the claim
    away /= np.linalg.norm(away)

    def at(cosine: float) -> dict:
        vector = cosine * claim + np.sqrt(1 - cosine**2) * away
        return {"language": "en", "embedding": vector.astype(np.float32).tolist()}

    floor, on_topic = candidate_floor("en", "en"), relevance_threshold("en", "en")
    passages = [at(floor + 0.001), at(0.999), at(on_topic + 0.001)]
    cosines = [float(np.dot(p["embedding"], claim)) for p in passages]
    vectors = np.asarray([p["embedding"] for p in passages], dtype=np.float32)
    assert Bars().admitted(archive, settings, watch, passages, vectors, cosines, [0, 1, 2]) == [1, 2]
