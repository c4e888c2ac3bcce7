"""A feed ingest killed midway (SIGKILL, no chance to clean up) and run again: nothing doubled, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from elasticsearch.helpers import scan

from index.ingest import build
from tests.conftest import ES_URL, ROOT

pytestmark = pytest.mark.integration


def _articles(seed_docs) -> list[dict[str, str]]:
    """Small articles cut from the seeds' paragraphs (three paragraphs each), under ids of their own."""
    paragraphs = [p.strip() for d in seed_docs for p in d.text.split("\n\n") if len(p.strip()) > 80]
    return [
        {"id": f"resume-{k}", "text": "\n\n".join(paragraphs[i : i + 3]), "outlet": "resume test"}
        for k, i in enumerate(range(0, len(paragraphs) - 2, 3))
    ]


def _state(es, names) -> tuple[Counter[str], dict[str, int]]:
    es.indices.refresh(index=f"{names.passages},{names.documents}")
    live = Counter(
        h["_source"]["document_id"]
        for h in scan(es, index=names.passages, query={"query": {"term": {"live": True}}}, _source=["document_id"])
    )
    documents = {
        h["_id"]: h["_source"]["passage_count"]
        for h in scan(es, index=names.documents, query={"query": {"match_all": {}}}, _source=["passage_count"])
    }
    return live, documents


def test_an_ingest_killed_midway_resumes_with_nothing_doubled_or_lost(es, fresh_names, seed_docs, tmp_path):
    build(es, fresh_names, seed_docs[:1])
    articles = _articles(seed_docs)
    assert len(articles) >= 24, len(articles)
    source = tmp_path / "feed.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in articles))
    env = {**os.environ, "ELASTICSEARCH_URL": ES_URL, "INDEX_PREFIX": fresh_names.prefix}
    command = [sys.executable, "-m", "api", "ingest", str(source)]

    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        if es.count(index=fresh_names.documents)["count"] >= 1 + 3:  # the seed and three written
            run.send_signal(signal.SIGKILL)
            break
        time.sleep(0.1)
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL, "the ingest ended before it could be interrupted"
    live, documents = _state(es, fresh_names)
    ours = {d for d in documents if d.startswith("resume-")}
    assert 0 < len(ours) < len(articles), "the kill came midway"
    # killed midway: no live passage without its document, no document live twice
    assert set(live) <= set(documents), set(live) - set(documents)
    assert all(live[d] <= n for d, n in documents.items())

    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    counts = json.loads(again.stdout.strip().splitlines()[-1])["counts"]
    assert sum(counts.values()) == len(articles) and counts.get("unchanged", 0) >= len(ours) - 1
    assert "ingest" in again.stderr and "doc/s" in again.stderr  # the progress bar
    live, documents = _state(es, fresh_names)
    assert {d for d in documents if d.startswith("resume-")} == {a["id"] for a in articles}
    assert set(live) == set(documents) and all(live[d] == n for d, n in documents.items())
