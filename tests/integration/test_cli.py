import json

import pytest

from api.cli import main
from index.ingest import build
from tests.conftest import ES_URL

pytestmark = pytest.mark.integration


def test_batch_ingest_from_jsonl_reports_each_line_and_reindex_keeps_everything(
    es, fresh_names, seed_docs, tmp_path, monkeypatch, capsys
):
    build(es, fresh_names, seed_docs[:1])
    monkeypatch.setenv("ELASTICSEARCH_URL", ES_URL)
    monkeypatch.setenv("INDEX_PREFIX", fresh_names.prefix)
    batch = tmp_path / "batch.jsonl"
    good = {"id": "cli-1", "text": "The bridge in Northbridge was closed for repairs on Tuesday, the city said."}
    batch.write_text("\n".join([json.dumps(good), "not json", json.dumps({"text": " "}), json.dumps(good)]) + "\n")
    assert main(["ingest", str(batch)]) == 1
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == {"counts": {"created": 1, "unchanged": 1}, "failed": 2}
    assert main(["reindex"]) == 0
    rebuilt = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rebuilt["documents"] == 2
    assert es.get(index=fresh_names.documents, id="cli-1")["_source"]["text"] == good["text"]
