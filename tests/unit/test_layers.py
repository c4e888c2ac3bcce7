"""Layer rules read off the code (imports inside functions count too): serving never imports training; the text
side never touches Elasticsearch; the stance model knows nothing of the index or the API; routes reach the index
only through services."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ("training",)
RULES = {
    # package or file: what it may never import
    "api": TRAINING,
    "index": (*TRAINING, "api", "stance"),
    "text": (*TRAINING, "api", "index", "stance", "elasticsearch"),
    "stance": (*TRAINING, "api", "index", "elasticsearch"),
    "api/routes": ("index", "elasticsearch", "text", "stance", *TRAINING),
}


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


def files_of(entry: str) -> list[Path]:
    path = ROOT / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("entry", sorted(RULES))
def test_layer_rule(entry):
    assert files_of(entry), f"{entry} has no Python files: the rule would pass vacuously"
    assert violations(files_of(entry), RULES[entry]) == []


def test_no_environment_reads_outside_the_settings_module():
    readers = []
    for package in ("api", "index", "text", "stance"):
        for f in files_of(package):
            names = {n.attr for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))) if isinstance(n, ast.Attribute)}
            if f != ROOT / "api" / "config.py" and names & {"environ", "getenv"}:
                readers.append(str(f.relative_to(ROOT)))
    config = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    assert readers == [] and "environ" not in config and "getenv" not in config


def test_the_rule_fails_on_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from training.train import read_pairs\n")
    ok = tmp_path / "ok.py"
    ok.write_text("from stance.classifier import predict\n")
    assert violations([bad, ok], RULES["stance"]) == ["bad.py imports training.train", "bad.py imports training.train.read_pairs"]
    es = tmp_path / "es.py"
    es.write_text("import elasticsearch\nfrom index.repository import Archive\n")
    assert violations([es], RULES["text"]) == [
        "es.py imports elasticsearch",
        "es.py imports index.repository",
        "es.py imports index.repository.Archive",
    ]
