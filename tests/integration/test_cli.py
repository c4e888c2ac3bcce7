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


def test_compare_and_entities_print_tables_from_the_same_services(seeded_names, monkeypatch, capsys):
    monkeypatch.setenv("ELASTICSEARCH_URL", ES_URL)
    monkeypatch.setenv("INDEX_PREFIX", seeded_names.prefix)
    monkeypatch.setenv("COLUMNS", "160")
    claim = "Fighters were evacuated from the city under an agreement."
    assert main(["compare", claim, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert main(["compare", claim]) == 0
    table = capsys.readouterr().out
    sources = result["summary"]["supporting"]["independent_sources"]
    assert f"Supporting: {len(result['supporting'])} passage(s) · {sources} independent source(s)" in table
    assert f"Contradicting: {len(result['contradicting'])} passage(s)" in table
    assert f"nearest to one first): {len(result['related'])} passage(s)" in table
    earliest = result["summary"]["supporting"]["earliest"]
    if earliest:  # who reported it first, and when, in the side's one-line summary
        assert f"first: {earliest['outlet'] or earliest['document_id']} {earliest['published']}" in table
    for p in result["supporting"][:3]:
        shown = "reader comment" if p["role"] == "comment" else p["outlet"] or "-"
        assert shown in table and f"{p['confidence']:.0%}" in table
    if any(p["origin"]["repeat"] for side in ("supporting", "contradicting", "related") for p in result[side]):
        assert "repeats " in table, "a repeat names the first passage of its origin"
    for p in result["related"][:3]:  # related passages show their relevance and leaning, not a side probability
        assert f"{p['score']:.2f}" in table and f"leans {p['leaning']} {p['position_probability']:.0%}" in table
    assert main(["compare", "   "]) == 2
    assert "invalid claim" in capsys.readouterr().err
    assert main(["entities", "Deir ez-Zor"]) == 0
    assert "Entities matching 'Deir ez-Zor'" in capsys.readouterr().out
    assert main(["compare", claim, "--format", "claimreview"]) == 0
    assert json.loads(capsys.readouterr().out)["@type"] == "ClaimReview"


def test_sharded_ingest_runs_split_the_input_and_a_rerun_resumes_without_duplicates(
    es, fresh_names, seed_docs, tmp_path, monkeypatch, capsys
):
    build(es, fresh_names, seed_docs[:1])
    monkeypatch.setenv("ELASTICSEARCH_URL", ES_URL)
    monkeypatch.setenv("INDEX_PREFIX", fresh_names.prefix)
    towns = ["Northbridge", "Eastholm", "Westvik", "Southport", "Lakeside", "Hillcrest"]
    bodies = [
        {"id": f"shard-{i}", "text": f"The ferry to {town} was cancelled on Monday because of the storm."}
        for i, town in enumerate(towns)
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(b) for b in bodies) + "\n")
    taken = []
    for k in range(2):
        assert main(["ingest", str(batch), "--shard", f"{k}/2"]) == 0
        counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["counts"]
        taken.append(counts.get("created", 0))
        assert counts.get("created", 0) + counts.get("other shard", 0) == len(bodies)
    assert sum(taken) == len(bodies) and all(taken)  # disjoint shares that cover the input
    assert main(["ingest", str(batch)]) == 0  # the whole input again, as after an interruption
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["counts"] == {"unchanged": len(bodies)}
    es.indices.refresh(index=fresh_names.documents)
    ids = {
        h["_id"]
        for h in es.search(index=fresh_names.documents, size=50, query={"prefix": {"document_id": "shard-"}})["hits"]["hits"]
    }
    assert ids == {b["id"] for b in bodies}
    with pytest.raises(SystemExit):
        main(["ingest", str(batch), "--shard", "2/2"])
