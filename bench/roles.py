"""Passage roles on a folder of articles (default: seeds/): counts per document and every passage that is not
body text, for reading. Nothing here is tuned on these texts; the cues are in text/roles.py.

    python bench/roles.py [folder]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from text.documents import load_folder  # noqa: E402
from text.passages import split_passages  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds"
    print(f"# python bench/roles.py {folder.name}")
    for doc in load_folder(folder):
        passages = split_passages(doc.document_id, doc.text, doc.language)
        counts = Counter(p.role for p in passages)
        print(f"{doc.document_id}  " + ", ".join(f"{role} {n}" for role, n in counts.most_common()))
        for p in passages:
            if p.role != "body":
                print(f"    {p.role:<9} {p.text[:100]!r}")


if __name__ == "__main__":
    main()
