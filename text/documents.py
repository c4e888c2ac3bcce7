"""The document model: an article's text, its metadata and where each value came from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from text.language import detect_document_language
from text.metadata import FieldValue, extract_metadata

METADATA_FIELDS = ("outlet", "published", "title", "url")


@dataclass
class Document:
    """One article with metadata values and their provenance."""

    document_id: str
    text: str
    fields: dict[str, FieldValue] = field(default_factory=dict)
    language: str = "und"
    language_given: bool = False

    @property
    def content_hash(self) -> str:
        """Stable hash of the text and metadata, to tell a changed document from a resent one."""
        payload = json.dumps(
            {"text": self.text, **{k: v.value for k, v in sorted(self.fields.items())}},
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def value(self, name: str) -> Any:
        """The value of one metadata field, or None."""
        fv = self.fields.get(name)
        return fv.value if fv else None

    @property
    def published_precision(self) -> str | None:
        """'day', 'month' or 'year' for the published date, None when unknown."""
        fv = self.fields.get("published")
        return fv.precision if fv and fv.value else None

    def provenance(self) -> dict[str, dict[str, Any]]:
        """Where each metadata value came from, keyed by field."""
        out = {name: fv.provenance() for name, fv in sorted(self.fields.items())}
        out["language"] = (
            {"source": "given", "evidence": "supplied by the client at ingest"}
            if self.language_given
            else {"source": "detected", "evidence": "lingua language detector on the full text"}
        )
        return out


def _curated(entry: dict[str, Any] | None) -> FieldValue | None:
    """A curated sidecar entry as a field value (value may be null with its reason)."""
    if entry is None:
        return None
    return FieldValue(
        value=entry.get("value"),
        source="curated" if entry.get("value") is not None else "none",
        evidence=entry.get("evidence") or entry.get("reason") or "",
        precision=entry.get("precision"),
    )


def build_document(
    document_id: str,
    text: str,
    given: dict[str, FieldValue] | None = None,
    curated: dict[str, Any] | None = None,
    language: str | None = None,
) -> Document:
    """Combine given values, values stated in the text and curated sidecar values, in that order."""
    extracted = extract_metadata(text)
    fields: dict[str, FieldValue] = {}
    for name in METADATA_FIELDS:
        candidates = [(given or {}).get(name), extracted.get(name), _curated((curated or {}).get(name))]
        chosen = next((c for c in candidates if c is not None and c.value is not None), None)
        if chosen is None:
            chosen = next((c for c in candidates if c is not None), None) or FieldValue(
                None, "none", "not stated in the text and not curated"
            )
        fields[name] = chosen
    if language:
        return Document(document_id, text, fields, language, language_given=True)
    return Document(document_id, text, fields, detect_document_language(text))


def load_folder(folder: Path) -> list[Document]:
    """Load every `*.txt` in a folder (id = file name without .txt) with its `metadata.json` sidecar."""
    sidecar_path = folder / "metadata.json"
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8")) if sidecar_path.exists() else {}
    docs = []
    for path in sorted(folder.glob("*.txt")):
        doc_id = path.stem
        text = path.read_text(encoding="utf-8")
        docs.append(build_document(doc_id, text, curated=sidecar.get("documents", {}).get(doc_id)))
    return docs
