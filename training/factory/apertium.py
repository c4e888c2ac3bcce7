"""Swedish and Danish into Norwegian Bokmål with Debian's Apertium, for training data only (serving never needs it).

    apt-get install apertium apertium-swe-nor apertium-dan-nor apertium-recursive apertium-lex-tools \
        apertium-separable cg3            # scripts/training-setup.sh does this

`translate(lines, "swe-nob")` returns one Bokmål line per input line (internal whitespace flattened first) and
caches each batch under build/apertium/ by the hash of its input, so a rebuilt mix costs no second translation.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "apertium"
PAIRS = ("swe-nob", "dan-nob")


def available() -> bool:
    """Whether the apertium command is installed."""
    return shutil.which("apertium") is not None


def _run(lines: list[str], pair: str) -> list[str]:
    # Apertium keeps one output line per input line; '-u' drops the '*' it marks unknown words with
    text = "".join(line + "\n" for line in lines)
    out = subprocess.run(["apertium", "-u", pair], input=text, capture_output=True, text=True, check=True).stdout
    result = out.split("\n")
    if result and result[-1] == "":
        result.pop()
    if len(result) != len(lines):
        raise RuntimeError(f"apertium {pair}: {len(lines)} lines in, {len(result)} out")
    return result


def translate(lines: Sequence[str], pair: str, chunk: int = 2000) -> list[str]:
    """Each line translated by `apertium -u pair` (cached under build/apertium/)."""
    if pair not in PAIRS:
        raise ValueError(f"unknown pair {pair}")
    flat = [" ".join(line.split()) for line in lines]
    out: list[str] = []
    for i in range(0, len(flat), chunk):
        part = flat[i : i + chunk]
        key = hashlib.sha1((pair + "\n" + "\n".join(part)).encode()).hexdigest()[:16]
        path = CACHE / f"{pair}-{key}.txt"
        if path.exists():
            done = path.read_text(encoding="utf-8").split("\n")[: len(part)]
        else:
            if not available():
                raise RuntimeError("apertium is not installed: bash scripts/training-setup.sh")
            done = _run(part, pair)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text("\n".join(done), encoding="utf-8")
            tmp.rename(path)
        out.extend(" ".join(t.split()) for t in done)
    return out
