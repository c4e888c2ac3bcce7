"""Terminal tables (rich) for the CLI: the same results the API returns, laid out for reading."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

# roles other than the article's own text, as the table labels them
ROLE_LABELS = {"comment": "reader comment", "caption": "caption", "quote_box": "pull quote", "fact_box": "fact box"}
STYLE = {"supporting": "green", "contradicting": "red", "related": "dim"}
TITLES = {
    "supporting": "Supporting",
    "contradicting": "Contradicting",
    "related": "Related (on topic, no position on the claim)",
}


def _passages(title: str, passages: list[dict[str, Any]], style: str, related: bool = False) -> Table:
    """A side's passages with the model's probability for that side; related ones with their relevance instead
    (they take no side, so no side probability is shown)."""
    table = Table(title=title, title_style=f"bold {style}", show_lines=True, expand=True)
    table.add_column("relevance" if related else "model", justify="right", no_wrap=True)
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
        figure = f"{p['score']:.2f}" if related else f"{p['confidence']:.0%}"
        outlet = ("reader comment" if role == "comment" else p.get("outlet")) or "-"
        table.add_row(figure, outlet, p.get("published") or "-", p["language"], quote)
    if not passages:
        table.add_row("", "", "", "", "[dim]no passages[/dim]")
    return table


def compare_table(result: dict[str, Any], console: Console | None = None) -> None:
    """Both sides of a compare result, most confident first, then the related passages, most relevant first."""
    console = console or Console()
    outlets = result.get("outlets", {})
    console.print(f"[bold]Claim[/bold] ({result['claim_language']}): {result['claim']}")
    for side in ("supporting", "contradicting", "related"):
        passages = result.get(side) or []
        sources = (result.get("independent_sources") or {}).get(side, 0)
        title = f"{TITLES[side]}: {len(passages)} passage(s), {sources} independent source(s), {outlets.get(side, 0)} outlet(s)"
        console.print(_passages(title, passages, STYLE[side], related=side == "related"))


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
