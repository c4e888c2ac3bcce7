from training.factory import retrieved
from training.factory.retrieved import FAMILY, retrieved_rows


def _row(claim: str, passage: str, bucket: str, group: str, lang: str = "en") -> dict:
    return {
        "claim": claim,
        "passage": passage,
        "label": "supports",
        "claim_lang": lang,
        "passage_lang": lang,
        "bucket": bucket,
        "group": group,
    }


def test_a_claim_is_paired_as_neither_with_a_near_passage_of_another_family_only(tmp_path, monkeypatch):
    monkeypatch.setattr(retrieved, "CACHE", tmp_path)
    rows = [
        _row("The Eiffel Tower is in Paris.", "The Eiffel Tower stands in Paris, France.", "vitaminc", "vitaminc:Eiffel"),
        _row(
            "Paris police closed the Eiffel Tower.",
            "Police in Paris shut the Eiffel Tower on Monday.",
            "factory-monolingual",
            "factory:1",
        ),
        _row("A dog runs in a park.", "A brown dog is running across the grass.", "snli", "snli:1"),
        _row("Det snør i Oslo.", "Snøen falt over Oslo i natt.", "factory-monolingual", "factory:2", "nb"),
        _row("x", "y", "identity", "identity:1"),  # not in a family: neither claim nor passage
    ]
    out = retrieved_rows(rows, 10, 10, seed=1, tag="t")
    family_of_passage = {r["passage"]: FAMILY.get(r["bucket"]) for r in rows}
    family_of_claim = {r["claim"]: (FAMILY.get(r["bucket"]), r["group"]) for r in rows}
    assert len(out) == 4
    for r in out:
        fam, group = family_of_claim[r["claim"]]
        assert r["label"] == "neither" and r["bucket"] == "retrieved" and r["group"] == group
        assert family_of_passage[r["passage"]] not in (fam, None)
    assert list(tmp_path.glob("t-*.npy"))  # embeddings cached
