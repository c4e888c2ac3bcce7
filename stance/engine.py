"""The stance engine the API uses: the trained cross-encoder plus the decision layer (thresholds, attribution)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from stance.attribution import Attribution, attribution
from stance.labels import LABELS, NEITHER
from text.language import detect_claim
from text.torch_thread import on_torch_thread

# the shipped weights; the app may point the engine at another trained folder (configure, from STANCE_WEIGHTS)
WEIGHTS = Path(__file__).resolve().parent / "weights"
log = logging.getLogger(__name__)
# pairs per forward pass on CPU: 40 compare candidates in 0.53 s at 16 against 0.69 s at 32 (bf16, 2 cores); on an
# AVX-512 EPYC (2026-12-05, bench/results/batch_size.txt) 8 beat 16 in fp32 (0.77 vs 0.81 s) and int8 (0.27 vs 0.33 s)
CPU_BATCH = 8


@lru_cache(maxsize=4)
def load_decision(weights: Path = WEIGHTS) -> dict[str, Any] | None:
    """The calibrated decision layer of these weights (decision.json), None when they have none."""
    path = weights / "decision.json"
    return json.loads(path.read_text()) if path.exists() else None


def relevance_thresholds(weights: Path = WEIGHTS) -> tuple[float, float]:
    """The calibrated on-topic e5 cosines (same language, across languages) from decision.json."""
    decision = load_decision(weights)
    assert decision is not None, f"no decision.json in {weights}"
    rel = decision["relevance"]
    if not isinstance(rel, dict):
        return float(rel), float(rel)
    return float(rel["same_language"]), float(rel["cross_language"])


def relevance_threshold(claim_lang: str, passage_lang: str, weights: Path = WEIGHTS) -> float:
    """The calibrated on-topic cosine for this language pair (lower across languages)."""
    same, cross = relevance_thresholds(weights)
    return same if claim_lang == passage_lang else cross


def rescue_band(weights: Path = WEIGHTS) -> tuple[float, float] | None:
    """(cosine margin below the relevance threshold, side probability) within which a confident model verdict
    still counts as on topic (decision.json 'rescue'), None when these weights have none."""
    decision = load_decision(weights) or {}
    band = decision.get("rescue")
    return (float(band["margin"]), float(band["side_probability"])) if band else None


def candidate_floors(weights: Path = WEIGHTS) -> tuple[float, float]:
    """The lowest cosines (same language, across languages) a passage may have and still be judged: the relevance
    thresholds less the rescue margin."""
    band = rescue_band(weights)
    margin = band[0] if band else 0.0
    same, cross = relevance_thresholds(weights)
    return same - margin, cross - margin


def candidate_floor(claim_lang: str, passage_lang: str, weights: Path = WEIGHTS) -> float:
    """The candidate floor for this language pair (lower across languages)."""
    same, cross = candidate_floors(weights)
    return same if claim_lang == passage_lang else cross


@dataclass(frozen=True)
class Pair:
    """A (claim, passage) pair to judge: both languages, and the e5 cosine between them (None: not known, then
    the verdict takes no account of topic)."""

    claim: str
    claim_language: str
    passage: str
    passage_language: str
    relevance: float | None


@dataclass(frozen=True)
class Verdict:
    """A passage's stance toward a claim, how sure the model is, and who the passage says asserts it."""

    stance: str
    confidence: float
    attribution: Attribution | None
    probabilities: dict[str, float]
    on_topic: bool = True
    leaning: str = NEITHER  # the side with the larger calibrated probability, whether or not it reaches the floor
    position_probability: float = 0.0  # calibrated probability that the passage takes a position: 1 - p(neither)
    to_side: float = 0.0  # how far the leaning side's calibrated probability is below the side floor (0 when sided)


def calibrated(probs: Sequence[float], temperature: float = 1.0) -> list[float]:
    """The model's probabilities with the held-out temperature applied (softmax of log-probabilities / T)."""
    logits = [math.log(max(float(p), 1e-12)) / temperature for p in probs]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    return [e / sum(exps) for e in exps]


def position(probs: Sequence[float], decision: dict[str, Any] | None = None) -> tuple[str, float]:
    """Whether the passage takes a position on the claim, and which: the side with the larger calibrated probability
    when that probability reaches the held-out `side_probability` (default: when it beats neither), else neither.
    The confidence is the calibrated probability of the answer given."""
    decision = decision or {}
    p = calibrated(probs, float(decision.get("temperature", 1.0)))
    side = 0 if p[0] >= p[1] else 1
    floor = decision.get("side_probability")
    if (p[side] >= float(floor)) if floor is not None else (p[side] > p[2]):
        return LABELS[side], round(p[side], 4)
    return NEITHER, round(p[2], 4)


def lean(probs: Sequence[float], decision: dict[str, Any] | None = None) -> tuple[str, float, float]:
    """(the side a passage leans to, the calibrated probability that it takes a position at all, how far the leaning
    side's calibrated probability is below what `position` needs to side it, 0 when it is enough)."""
    decision = decision or {}
    p = calibrated(probs, float(decision.get("temperature", 1.0)))
    side = 0 if p[0] >= p[1] else 1
    floor = decision.get("side_probability")
    need = float(floor) if floor is not None else p[2]
    return LABELS[side], round(1.0 - p[2], 4), round(max(0.0, need - p[side]), 4)


def decide(
    probs: Sequence[float],
    relevance: float,
    t_relevance: float,
    decision: dict[str, Any] | None = None,
    rescue: tuple[float, float] | None = None,
) -> tuple[str, float, bool]:
    """(stance, confidence, on topic) of one passage: the topic and the position are two questions.

    On topic: the e5 cosine reaches its language pair's calibrated threshold, or lies within the rescue band below it
    (margin, side probability) with the model reading a side at least that sure. A side: only when the model reads a
    position (`position`: its calibrated side probability reaches the held-out floor). An on-topic passage that takes
    no position is `neither` with on_topic True: compare lists it as related, never on a side. The confidence is the
    calibrated probability of the answer given.
    """
    stance, confidence = position(probs, decision)
    rescued = rescue is not None and relevance >= t_relevance - rescue[0] and stance != NEITHER and confidence >= rescue[1]
    if relevance >= t_relevance or rescued:
        return stance, confidence, True
    return NEITHER, round(calibrated(probs, float((decision or {}).get("temperature", 1.0)))[2], 4), False


def decide_pair(
    pair: Pair,
    probs: Sequence[float],
    decision: dict[str, Any] | None,
    weights: Path,
    rescue: tuple[float, float] | None,
) -> tuple[str, float, bool]:
    """`decide` for one pair as compare decides it: with its relevance against the relevance threshold of its
    languages (these weights') and the rescue band; on the position alone (on topic) when it has no relevance or
    there is no decision layer."""
    if decision and pair.relevance is not None:
        t_relevance = relevance_threshold(pair.claim_language, pair.passage_language, weights)
        return decide(probs, pair.relevance, t_relevance, decision, rescue)
    stance, confidence = position(probs, decision)
    return stance, confidence, True


class StanceEngine:
    """Loads the rebuilt e5 base, the shipped trained weights and the calibrated thresholds once."""

    def __init__(
        self,
        weights: Path = WEIGHTS,
        int8: bool = False,
        bf16: bool | None = None,
        student: Path | None = None,
    ) -> None:
        # built on the torch thread (text.torch_thread): a torch operator run on any other thread gives that thread
        # an OpenMP team of its own, and with more teams than cores every later operator pays a wake-up
        on_torch_thread(self._build, weights, int8, bf16, student)

    def _build(self, weights: Path, int8: bool, bf16: bool | None, student: Path | None) -> None:
        import torch

        from stance.classifier import StanceModel
        from text.e5_encoder import base_encoder, derived_encoder

        self.meta: dict[str, Any] = json.loads((weights / "stance.json").read_text())
        delta = torch.load(weights / "stance-delta.pt", map_location="cpu")
        trained = {int(k.split(".")[3]) for k in delta if k.startswith("encoder.encoder.layer.")}
        # the embeddings and untrained layers are the e5 base the embedder runs: shared, not copied
        # a distilled student runs only the first `layers` layers of the base (stance.json; absent: all of them)
        layers = int(self.meta["layers"]) if self.meta.get("layers") else None
        encoder = derived_encoder(base_encoder(), trained, layers)
        model = StanceModel(int(self.meta["frozen_layers"]), encoder=encoder)
        model.load_trained(delta)
        model.eval()
        # optional int8 matrix products (STANCE_INT8=true, stance.int8: per-token activation scales, 7-bit weights):
        # every pair is read in int8 and the pairs within the held-out margin of a decision boundary
        # (decision.json "int8", training.cascade_margin --int8) again in fp32, so a verdict int8 could tip is fp32's
        self.fp32_model = model
        self.int8 = int8
        self.decision = load_decision(weights)
        self.int8_margin = 0.0
        if int8:
            from stance.int8 import quantised

            model = quantised(model)
            self.int8_margin = int8_margin(self.decision, weights)
        self.model = model
        # bf16 matmuls where the CPU has them natively (AVX512-BF16/AMX): 1.6x faster here with polarity within
        # 0.03 of fp32 and no verdict changed on held-out pairs; bf16=None means "when supported"
        self.bf16 = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()) if bf16 is None else bf16
        self.weights = weights
        self._lock = threading.Lock()
        # a cascade (STANCE_STUDENT): a distilled student reads every pair first and these weights reread only the
        # pairs whose student verdict lies within the held-out margin of a decision boundary
        self.student: StanceEngine | None = None
        self.margin = 0.0
        if student is not None:
            self.student = StanceEngine(student, int8=int8, bf16=bf16)
            self.margin = cascade_margin(self.student.decision, weights)

    def describe(self) -> dict[str, Any]:
        """What the model and its decision layer are, with the held-out figures they were calibrated on."""
        decision = self.decision or {}
        check = decision.get("position_check") or {}
        return {
            "name": "e5-small stance cross-encoder",
            "training_sets": self.meta.get("training_sets", []),
            "temperature": decision.get("temperature", 1.0),
            "side_probability": decision.get("side_probability"),
            "relevance": decision.get("relevance"),
            "heldout": {k: check[k] for k in ("n", "accuracy", "sided_precision", "ece") if k in check},
            **({"cascade": self.cascade_description()} if self.student is not None else {}),
        }

    def cascade_description(self) -> dict[str, Any]:
        """The student in front of these weights: its depth, the reread margin and its held-out figures."""
        assert self.student is not None and self.student.decision is not None
        cascade = self.student.decision["cascade"]
        return {
            "student_layers": self.student.meta.get("layers"),
            "margin": self.margin,
            **{k: cascade[k] for k in ("reread_share", "agreement") if k in cascade},
        }

    def mutual_support(self, pairs: Sequence[tuple[str, str]], floor: float = 0.0) -> list[float]:
        """For each (a, b), the smaller of P(a supports b) and P(b supports a): how surely each restates the other.
        A pair whose first direction is already under `floor` is not read backwards (its value, P(a supports b),
        is then an upper bound that stays under the floor)."""
        ab = [p[0] for p in self.probabilities_pairs(list(pairs), fp32=True)]
        ask = [k for k, p in enumerate(ab) if p >= floor]
        ba = self.probabilities_pairs([(pairs[k][1], pairs[k][0]) for k in ask], fp32=True)
        out = list(ab)
        for k, q in zip(ask, ba, strict=True):
            out[k] = min(ab[k], q[0])
        return out

    def probabilities(self, claim: str, passages: Sequence[str]) -> list[list[float]]:
        """(supports, contradicts, neither) probabilities per passage."""
        return self.probabilities_pairs([(claim, p) for p in passages])

    def probabilities_pairs(self, pairs: Sequence[tuple[str, str]], fp32: bool = False) -> list[list[float]]:
        """(supports, contradicts, neither) probabilities per (claim, passage) pair; a pair given twice (a wire story's
        copies in several outlets) is read once. With int8 products, fp32=True reads with the fp32 model instead
        (origins' mutual support, the rereads near a boundary)."""
        from stance.classifier import predict

        if not pairs:
            return []
        import torch

        distinct = list(dict.fromkeys(pairs))
        model = self.fp32_model if fp32 else self.model

        def run() -> list[list[float]]:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16 and not self.int8):
                return predict(model, distinct, size=CPU_BATCH).tolist()

        with self._lock:
            read = dict(zip(distinct, on_torch_thread(run), strict=True))
        return [list(read[pair]) for pair in pairs]

    def judge(
        self,
        claim: str,
        passages: Sequence[str],
        languages: Sequence[str] | None = None,
        relevance: Sequence[float] | None = None,
        claim_lang: str | None = None,
    ) -> list[Verdict]:
        """A verdict per passage; relevance is the e5 query-passage cosine and claim_lang the claim's language
        (each computed here when not given)."""
        langs = list(languages or ["en"] * len(passages))
        claim_lang = claim_lang or detect_claim(claim)
        if self.decision and relevance is None:
            from text.embedding import embed_passages, embed_query

            relevance = (embed_passages(list(passages)) @ embed_query(claim)).tolist() if passages else []
        cosines = [None] * len(passages) if relevance is None else [float(r) for r in relevance]
        return self.judge_pairs(
            [Pair(claim, claim_lang, t, lang, c) for t, lang, c in zip(passages, langs, cosines, strict=True)]
        )

    def judge_pairs(self, pairs: Sequence[Pair]) -> list[Verdict]:
        """A verdict per (claim, passage) pair, several claims read in one pass of the model (full batches)."""
        verdicts = []
        band = rescue_band(self.weights) if self.decision else None
        probabilities, decisions = self._read(pairs, band)
        for pair, probs, decision in zip(pairs, probabilities, decisions, strict=True):
            text, lang = pair.passage, pair.passage_language
            stance, confidence, on_topic = decide_pair(pair, probs, decision, self.weights, band)
            leaning, position_probability, to_side = lean(probs, decision)
            verdicts.append(
                Verdict(
                    stance,
                    round(confidence, 4),
                    attribution(text, lang),
                    dict(zip(LABELS, (round(p, 4) for p in probs), strict=True)),
                    on_topic,
                    leaning,
                    position_probability,
                    to_side,
                )
            )
        return verdicts

    def _read(
        self, pairs: Sequence[Pair], band: tuple[float, float] | None
    ) -> tuple[list[list[float]], list[dict[str, Any] | None]]:
        """Each pair's probabilities and the decision layer they are read with. A first reader reads every pair —
        these weights (in int8 with STANCE_INT8), or a distilled student (a cascade) — and the pairs whose first
        verdict lies within its held-out margin of a boundary are read again by these weights in fp32 (or as they
        are served, after a student), taking their decision layer."""
        from stance.cascade import boundary_distances, to_reread

        texts = [(pair.claim, pair.passage) for pair in pairs]
        if self.student is None:
            first, margin, again_fp32 = self.decision, self.int8_margin, True
            probabilities = self.probabilities_pairs(texts)
        else:
            first, margin, again_fp32 = self.student.decision, self.margin, False
            probabilities = self.student.probabilities_pairs(texts)
        decisions: list[dict[str, Any] | None] = [first] * len(pairs)
        if margin > 0 and first:
            again = to_reread(boundary_distances(pairs, probabilities, first, self.weights, band), margin)
            log.debug("%d pairs read, %d read again by the weights", len(pairs), len(again))
            read = self.probabilities_pairs([texts[k] for k in again], fp32=again_fp32)
            for k, probs in zip(again, read, strict=True):
                probabilities[k], decisions[k] = probs, self.decision
        return probabilities, decisions


def weights_sha1(weights: Path) -> str:
    """The hash that names a trained folder's weights (its stance-delta.pt): what a student's cascade margin and
    distillation record of the weights they were set against."""
    return hashlib.sha1((weights / "stance-delta.pt").read_bytes()).hexdigest()


def cascade_margin(student: dict[str, Any] | None, teacher: Path) -> float:
    """The reread margin a student's decision.json holds for these teacher weights; an error naming what is wrong
    when it has none or was set against other weights (a margin only holds for the teacher it was measured with)."""
    cascade = (student or {}).get("cascade")
    if not cascade:
        raise ValueError("STANCE_STUDENT: the student's decision.json has no cascade margin (training.cascade_margin)")
    return held_margin(cascade, teacher, "STANCE_STUDENT: the cascade margin")


def held_margin(block: dict[str, Any], weights: Path, what: str) -> float:
    """A reread margin (decision.json "cascade" or "int8"), refused when it was set against other weights than
    these: a margin only holds for the weights it was measured with."""
    if block.get("teacher_sha1") != weights_sha1(weights):
        raise ValueError(f"{what} was set against other weights than {weights}")
    return float(block["margin"])


def int8_margin(decision: dict[str, Any] | None, weights: Path) -> float:
    """How near a decision boundary an int8 reading sends a pair back to fp32 (decision.json "int8"; 0: no reread);
    an error when the margin was set against other weights."""
    block = (decision or {}).get("int8")
    return held_margin(block, weights, "STANCE_INT8: the int8 reread margin in decision.json") if block else 0.0


@dataclass(frozen=True)
class EngineOptions:
    """How the process-wide engine is built: weights folder, bf16 (False: fp32,
    the same verdicts on every CPU; None: where the CPU has it), int8 products (stance.int8), and a distilled student
    to read in front of the weights (a cascade; None: the weights read every pair)."""

    weights: Path = WEIGHTS
    bf16: bool | None = False
    int8: bool = False
    student: Path | None = None


_options = EngineOptions()


def configure(options: EngineOptions) -> None:
    """Set how engine() builds the engine (the app does, from its settings); a change drops a built one."""
    global _options
    if options != _options:
        _options = options
        engine.cache_clear()


def options() -> EngineOptions:
    """The options engine() builds with."""
    return _options


@lru_cache(maxsize=1)
def engine() -> StanceEngine:
    """The process-wide engine, built once with the configured options."""
    o = _options
    return StanceEngine(o.weights, int8=o.int8, bf16=o.bf16, student=o.student)
