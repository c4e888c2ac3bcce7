"""Layer rules read off the code: serving never imports training (the factory, the trainer, calibration, bundles)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ("stance.factory", "stance.train", "stance.calibrate", "stance.bundle")
SERVING = ["api", "index", "stance/engine.py", "stance/classifier.py", "stance/counter.py", "stance/wordings.py"]
SERVING += ["stance/encoder.py", "stance/tokenizer.py", "stance/e5_file.py", "stance/attribution.py"]


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{f.name} imports {m}"
        for f in files
        for m in sorted(imports(f))
        if any(m == x or m.startswith(x + ".") for x in forbidden)
    ]


def serving_files() -> list[Path]:
    out: list[Path] = []
    for entry in SERVING:
        path = ROOT / entry
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def test_serving_never_imports_training():
    assert violations(serving_files(), TRAINING) == []


def test_the_rule_fails_on_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from stance.train import read_pairs\n")
    ok = tmp_path / "ok.py"
    ok.write_text("from stance.classifier import predict\n")
    assert violations([bad, ok], TRAINING) == ["bad.py imports stance.train", "bad.py imports stance.train.read_pairs"]
