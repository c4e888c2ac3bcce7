"""A compare result as schema.org ClaimReview JSON-LD: evidence for a claim, never a verdict (no reviewRating)."""

from __future__ import annotations

from datetime import date
from typing import Any

NAMESPACE = "https://github.com/claimcheck/claimcheck/ns#"
CONTEXT: list[Any] = ["https://schema.org", {"claimcheck": NAMESPACE}]
SIDES = {"supporting": "supports", "contradicting": "contradicts"}


def _article(passage: dict[str, Any]) -> dict[str, Any]:
    """A passage as the NewsArticle it appears in (with its url where known), the quote as its Quotation part, and
    its stance."""
    article: dict[str, Any] = {"@type": "NewsArticle", "identifier": passage["document_id"], "inLanguage": passage["language"]}
    if passage.get("url"):
        article["url"] = passage["url"]
    if passage.get("outlet") and passage.get("role") != "comment":  # a reader's comment is not the outlet's word
        article["publisher"] = {"@type": "Organization", "name": passage["outlet"]}
    if passage.get("published"):
        article["datePublished"] = passage["published"]
    article["hasPart"] = {
        "@type": "Quotation",
        "identifier": passage["passage_id"],
        "text": passage["text"],
        "inLanguage": passage["language"],
    }
    article["claimcheck:stance"] = passage["stance"]
    article["claimcheck:role"] = passage.get("role") or "body"
    origin = passage.get("origin") or {}
    if origin.get("id"):
        article["claimcheck:origin"] = origin["id"]
    if origin.get("repeat"):  # one entry per passage; a repeat points at the first passage of its origin
        article["claimcheck:repeatOf"] = (origin.get("first") or {}).get("passage_id")
    article["claimcheck:confidence"] = passage["confidence"]
    attribution = passage.get("attribution") or {}
    if attribution.get("who"):
        article["claimcheck:attributedTo"] = attribution["who"]
    return article


def _side_sentence(stance: str, summary: dict[str, Any]) -> str:
    verb = stance.removesuffix("s")
    n, sources = summary["passages"], summary["independent_sources"]
    text = f"{n} passage(s) from {sources} independent source(s) {verb}"
    if summary["outlets"]:
        text += f" ({', '.join(summary['outlets'])})"
    earliest = summary.get("earliest")
    if earliest:
        text += f", first reported by {earliest.get('outlet') or earliest['document_id']} on {earliest['published']}"
    if summary.get("one_origin_repeated"):
        text += ", all restating one source"
    return text


def _summary(result: dict[str, Any]) -> str:
    """Evidence in figures, the compare answer's own summary: what the archive holds, not a verdict."""
    parts = [_side_sentence(stance, result["summary"][side]) for side, stance in SIDES.items()]
    return "Evidence found in the archive, no verdict: " + "; ".join(parts) + "."


def claim_review(result: dict[str, Any], author: str, today: date | None = None) -> dict[str, Any]:
    """The ClaimReview document for a compare result. In schema.org a Claim's `appearance` is a place where the
    claim itself is made, so only supporting passages (and readers' comments repeating it) go there; contradicting
    passages are evidence against it, cited by the review (`citation`). Both in the result's order (most confident
    first)."""
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": result["claim"],
        "datePublished": (today or date.today()).isoformat(),
        "author": {"@type": "Organization", "name": author},
        "reviewBody": _summary(result),
        "itemReviewed": {
            "@type": "Claim",
            "text": result["claim"],
            "inLanguage": result["claim_language"],
            # a reader's comment that repeats the claim is a place where the claim is made, too
            "appearance": [_article(p) for p in result["supporting"]]
            + [_article(p) for p in result.get("comments") or [] if p["stance"] == "supports"],
        },
        "citation": [_article(p) for p in result["contradicting"]],
    }
