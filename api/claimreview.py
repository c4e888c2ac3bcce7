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


def _summary(result: dict[str, Any]) -> str:
    """One sentence of evidence counts: what the archive holds, not a verdict."""
    parts = []
    for side, stance in SIDES.items():
        passages = result[side]
        outlets = len({p["outlet"] for p in passages if p.get("outlet")})
        parts.append(f"{len(passages)} passage(s) from {outlets} named outlet(s) {stance.removesuffix('s')}")
    return "Evidence found in the archive, no verdict: " + "; ".join(parts) + "."


def claim_review(result: dict[str, Any], author: str, today: date | None = None) -> dict[str, Any]:
    """The ClaimReview document for a compare result. In schema.org a Claim's `appearance` is a place where the
    claim itself is made, so only supporting passages go there; contradicting passages are evidence against it,
    cited by the review (`citation`). Both in the result's order (most confident first)."""
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
            "appearance": [_article(p) for p in result["supporting"]],
        },
        "citation": [_article(p) for p in result["contradicting"]],
    }
