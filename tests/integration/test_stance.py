"""The real stance model on real seed passages, with claims made here (never the gold claims)."""

import pytest

from text.passages import split_passages
from training.factory.transforms import negate

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seed_sentences(seed_docs):
    out = []
    for doc in seed_docs:
        for p in split_passages(doc.document_id, doc.text, doc.language):
            if 8 <= len(p.text.split()) <= 30 and p.language in ("nb", "sv", "en") and negate(p.text, p.language):
                out.append(p)
    return out[::3][:24]


def _stance(client, claim, passages):
    r = client.post("/v1/stance", json={"claim": claim, "passages": passages})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["results"]


def test_a_passage_mostly_supports_its_own_wording_and_never_contradicts_it(client, seed_sentences):
    results = [_stance(client, p.text, [p.text])[0] for p in seed_sentences]
    assert sum(r["stance"] == "supports" for r in results) >= 0.75 * len(results)
    assert all(r["stance"] != "contradicts" for r in results)


def test_a_negated_claim_is_not_supported_by_the_original(client, seed_sentences):
    results = [_stance(client, negate(p.text, p.language), [p.text])[0] for p in seed_sentences]
    assert sum(r["stance"] != "supports" for r in results) >= 0.75 * len(results)


def test_an_unrelated_seed_passage_sharing_a_name_is_neither(client, seed_sentences):
    claim = "Bread prices in Raqqa doubled because of a drought in the spring."
    results = _stance(client, claim, [p.text for p in seed_sentences if "Raqq" in p.text] or [seed_sentences[0].text])
    assert sum(r["stance"] == "neither" for r in results) >= 0.75 * len(results)


def test_every_result_has_confidence_and_attribution_fields(client, seed_sentences):
    results = _stance(client, "Fighters left the city.", [p.text for p in seed_sentences[:5]])
    assert [r["index"] for r in results] == list(range(5))
    for r in results:
        assert 0.0 <= r["confidence"] <= 1.0 and "attribution" in r
        assert abs(sum(r["probabilities"].values()) - 1.0) < 1e-3


def test_attribution_names_who_asserts(client):
    passages = [
        "Colonel Ryan Dillon, spokesman for the coalition, said the bridge was closed.",
        "Ifølge NTB er broen stengt.",
        "Polisen säger att bron är stängd.",
        "The bridge is closed.",
    ]
    who = [r["attribution"] and r["attribution"]["who"] for r in _stance(client, "The bridge is closed.", passages)]
    assert who == ["Colonel Ryan Dillon", "NTB", "Polisen", None]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"claim": "x", "passages": []}, "passages"),
        ({"claim": "", "passages": ["a"]}, "claim"),
        ({"claim": "x", "passages": ["a"] * 101}, "passages"),
        ({"claim": "x"}, "passages"),
        ({"claim": "x", "passages": [3]}, "passages.0"),
    ],
)
def test_bad_stance_requests(client, body, field):
    r = client.post("/v1/stance", json=body)
    assert (r.status_code, r.content_type) == (422, "application/problem+json")
    assert field in {e["field"] for e in r.get_json()["errors"]}


def test_bf16_changes_polarity_little_and_only_borderline_verdicts(seed_sentences):
    from stance.engine import engine

    eng = engine()
    t_polarity = float(eng.decision["polarity"]) if eng.decision else 0.5
    # pairs that take a position (a sentence against itself and against its negation) and pairs that mostly do not
    # (one sentence against the others)
    pairs = [(p.text, [p.text]) for p in seed_sentences[:8]]
    pairs += [(negate(p.text, p.language), [p.text]) for p in seed_sentences[:8]]
    pairs.append((seed_sentences[0].text, [p.text for p in seed_sentences[:16]]))
    before = eng.bf16
    try:
        eng.bf16 = False
        fp32 = [v for claim, passages in pairs for v in eng.judge(claim, passages)]
        eng.bf16 = True
        bf16 = [v for claim, passages in pairs for v in eng.judge(claim, passages)]
    finally:
        eng.bf16 = before

    def polarity(v):
        return v.probabilities["contradicts"] / max(v.probabilities["contradicts"] + v.probabilities["supports"], 1e-9)

    def side_mass(v):
        return v.probabilities["supports"] + v.probabilities["contradicts"]

    assert sum(side_mass(v) >= 0.5 for v in fp32) >= 8, "the check needs pairs that take a position"
    for a, b in zip(fp32, bf16, strict=True):
        assert abs(a.probabilities["neither"] - b.probabilities["neither"]) < 0.06
        # polarity is the ratio of the two side probabilities: where both are ~0 (a pair read as neither at 0.9996)
        # it is the ratio of two rounding errors, e.g. 0.0003 / 0.0004 against 0.0002 / 0.0003 for the same verdict
        if side_mass(a) >= 0.01:
            assert abs(polarity(a) - polarity(b)) < 0.06
        if abs(polarity(a) - t_polarity) >= 0.06:
            assert a.stance == b.stance


AGREEMENT_CLAIMS = [
    "Coalition aircraft bombed the city for months.",
    "Kurdiske styrker kontrollerer byen nå.",
    "Flyktingar lämnade staden med bussar.",
    "The militants were allowed to leave with their weapons.",
    "Russland anklager USA for å hjelpe IS.",
    "Staden är fortfarande full av minor.",
]


def test_stance_and_compare_agree_on_the_same_pairs(client):
    """The same (claim, passage) pair gets the same outcome and confidence from /v1/stance as from compare (sides
    and related alike): one model, one decision layer."""
    pairs = 0
    for claim in AGREEMENT_CLAIMS:
        answer = client.post("/v1/compare", json={"claim": claim, "related_limit": 10}).get_json()
        shown = [(p, p["stance"]) for side in ("supporting", "contradicting") for p in answer[side]]
        shown += [(p, "neither") for p in answer["related"]]
        if not shown:
            continue
        body = {"claim": claim, "passages": [p["text"] for p, _ in shown], "claim_language": answer["claim_language"]}
        if answer["claim_language"] == "und":
            del body["claim_language"]
        results = _stance_body(client, body)
        for (passage, outcome), result in zip(shown, results, strict=True):
            judged = result["stance"] if result["on_topic"] else "neither"
            # batches of other sizes round differently in the last digits (much more with STANCE_BF16=auto): within 0.02
            assert judged == outcome and abs(result["confidence"] - passage["confidence"]) <= 0.02, passage["text"]
            pairs += 1
    assert pairs >= 20


def _stance_body(client, body):
    r = client.post("/v1/stance", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["results"]


def test_claim_language_overrides_detection(client):
    text = ["Byen ble nesten fullstendig ødelagt i kampene."]
    detected = client.post("/v1/stance", json={"claim": "Raqqa", "passages": text}).get_json()
    given = client.post("/v1/stance", json={"claim": "Raqqa", "passages": text, "claim_language": "nb"}).get_json()
    assert (detected["claim_language"], given["claim_language"]) == ("und", "nb")
    bad = client.post("/v1/stance", json={"claim": "Raqqa", "passages": text, "claim_language": "de"})
    assert bad.status_code == 422 and "claim_language" in bad.get_data(as_text=True)


def test_several_claims_read_in_one_pass_get_the_verdicts_each_gets_alone(seed_sentences):
    """StanceEngine.judge_pairs (watches read every claim's pairs in one pass of the model) against judge per claim."""
    from stance.engine import Pair, engine

    claims = [(s.text, s.language) for s in seed_sentences[:2]] + [("Bread prices in Raqqa doubled after a drought.", "en")]
    passages = seed_sentences[2:8]
    alone = {
        c: engine().judge(c, [p.text for p in passages], [p.language for p in passages], [0.86] * 6, lang) for c, lang in claims
    }
    pairs = [Pair(c, lang, p.text, p.language, 0.86) for c, lang in claims for p in passages]
    together = engine().judge_pairs(pairs)
    for pair, verdict in zip(pairs, together, strict=True):
        single = alone[pair.claim][[p.text for p in passages].index(pair.passage)]
        assert (verdict.stance, verdict.on_topic, verdict.leaning) == (single.stance, single.on_topic, single.leaning)
        assert all(abs(verdict.probabilities[k] - single.probabilities[k]) < 2e-3 for k in single.probabilities)
