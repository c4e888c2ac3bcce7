"""Terminal tables (rich) for the CLI: the same results the API returns, laid out for reading."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

# roles other than the article's own text, as the table labels them
ROLE_LABELS = {"comment": "reader comment", "caption": "caption", "quote_box": "pull quote", "fact_box": "fact box"}
STYLE = {"supporting": "green", "contradicting": "red", "related": "dim", "comments": "yellow"}
TITLES = {
    "supporting": "Supporting",
    "contradicting": "Contradicting",
    "related": "Related (on topic, no position on the claim; nearest to one first)",
    "comments": "Readers' comments (appearances of the claim, not evidence)",
}


def _figure(p: dict[str, Any], related: bool, comments: bool) -> str:
    """Related: relevance and the side it leaned to; comments: their stance; sides: the model's probability."""
    lean = f"\n[dim]leans {p['leaning']} {p['position_probability']:.0%}[/dim]" if p.get("leaning") else ""
    if related:
        return f"{p['score']:.2f}{lean}"
    if comments:
        return (f"{p['stance']} {p['confidence']:.0%}" if p["stance"] != "neither" else "no position") + lean
    return f"{p['confidence']:.0%}"


def _passages(title: str, passages: list[dict[str, Any]], style: str, related: bool = False, comments: bool = False) -> Table:
    """A side's passages with the model's probability for that side; related ones with their relevance and the side
    they leaned to instead (they take no side); comments with the stance read in them."""
    table = Table(title=title, title_style=f"bold {style}", show_lines=True, expand=True)
    table.add_column("relevance" if related else "stance" if comments else "model", justify="right", no_wrap=True)
    table.add_column("outlet", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("quote", ratio=1)
    for p in passages:
        who = (p.get("attribution") or {}).get("who")
        role = p.get("role") or "body"
        quote = (f"[bold]{ROLE_LABELS[role]}:[/bold] " if role in ROLE_LABELS else "") + p["text"]
        quote += f"\n[dim]according to {who}[/dim]" if who else ""
        origin = p.get("origin") or {}
        if origin.get("repeat"):
            first = origin.get("first") or {}
            quote += (
                f"\n[dim]repeats {first.get('outlet') or first.get('document_id')} ({first.get('published') or 'undated'})[/dim]"
            )
        figure = _figure(p, related, comments)
        outlet = ("reader comment" if role == "comment" else p.get("outlet")) or "-"
        table.add_row(figure, outlet, p.get("published") or "-", p["language"], quote)
    if not passages:
        table.add_row("", "", "", "", "[dim]no passages[/dim]")
    return table


def summary_line(summary: dict[str, Any]) -> str:
    """A side's summary in one line, as the page shows it above its column."""
    parts = [f"{summary['passages']} passage(s)", f"{summary['independent_sources']} independent source(s)"]
    if summary["outlets"]:
        parts.append(", ".join(summary["outlets"]))
    earliest = summary.get("earliest")
    if earliest:
        parts.append(f"first: {earliest.get('outlet') or earliest['document_id']} {earliest['published']}")
    if summary["languages"]:
        parts.append("/".join(summary["languages"]))
    if summary.get("one_origin_repeated"):
        parts.append("one source repeated")
    return " · ".join(parts)


def compare_table(result: dict[str, Any], console: Console | None = None) -> None:
    """Both sides of a compare result, most confident first, then the related passages (the one nearest to taking a
    position first) and readers' comments."""
    console = console or Console()
    outlets = result.get("outlets", {})
    console.print(f"[bold]Claim[/bold] ({result['claim_language']}): {result['claim']}")
    for side in ("supporting", "contradicting"):
        title = f"{TITLES[side]}: {summary_line(result['summary'][side])}"
        console.print(_passages(title, result.get(side) or [], STYLE[side]))
    related = result.get("related") or []
    sources = (result.get("independent_sources") or {}).get("related", 0)
    counts = f"{len(related)} passage(s), {sources} independent source(s), {outlets.get('related', 0)} outlet(s)"
    title = f"{TITLES['related']}: {counts}"
    console.print(_passages(title, related, STYLE["related"], related=True))
    comments = result.get("comments") or []
    if comments:
        console.print(_passages(f"{TITLES['comments']}: {len(comments)}", comments, STYLE["comments"], comments=True))


def entities_table(query: str, page: dict[str, Any], console: Console | None = None) -> None:
    """Entities matching a name, best first."""
    console = console or Console()
    table = Table(title=f"Entities matching {query!r}: {page['total']}", expand=True)
    for name, justify in (("id", "left"), ("name", "left"), ("type", "left"), ("mentions", "right"), ("documents", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("aliases", ratio=1)
    for e in page["entities"]:
        counts = (str(e["mention_count"]), str(len(e["document_ids"])))
        table.add_row(e["id"], e["name"], e.get("type") or "-", *counts, ", ".join(e["aliases"][:8]))
    console.print(table)
