"""The Docker image's own install and start sequence, run outside Docker: only what the Dockerfile COPYs, in a
fresh virtual environment, its pip lines, its ENV, then its CMD (index the seeds, start gunicorn), and requests.

Docker is not needed (CI has none); what is not run here is the system layer: the base image, apt-get and the
non-root user. TORCH_INDEX (the Dockerfile's build argument, PyTorch's CPU index by default) is pointed at this
machine's own package index, where `torch==2.13.0` is the CPU build, as scripts/setup.sh installs it."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import ES_URL, ROOT, drop_indices
from tests.system.conftest import _free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.image]


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", "\n".join(line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")))
    return [(m.group(1).upper(), m.group(2).strip()) for m in re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", text, re.M)]


def test_the_dockerfile_is_read_as_expected():
    steps = instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    kinds = [k for k, _ in steps]
    assert kinds[0] == "FROM" and "CMD" in kinds and any(k == "RUN" and "pip install" in a for k, a in steps)


def test_the_image_installs_and_starts(es, tmp_path):
    steps = instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    app = tmp_path / "app"
    app.mkdir()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INDEX_", "STANCE_", "BIND", "VIRTUAL_ENV"))}
    env |= {"PATH": f"{venv / 'bin'}:{env['PATH']}", "HOME": str(tmp_path)}
    env["TORCH_INDEX"] = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    port = _free_port()
    log = (ROOT / "test-output" / "image-start.log").open("w")
    prefix = f"test-image-{uuid.uuid4().hex[:8]}"
    server = None
    try:
        for kind, args in steps:
            if kind == "COPY":
                *sources, dest = shlex.split(args)
                target = app / dest if not dest.startswith("/") else app / Path(dest).relative_to("/app")
                for source in sources:
                    path = ROOT / source
                    if path.is_dir():
                        shutil.copytree(path, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
                    else:
                        target.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, target / path.name)
            elif kind == "ENV":
                env |= dict(re.findall(r"(\w+)=(\S+)", args))
            elif kind == "ARG" and "=" in args:
                name, default = args.split("=", 1)
                env.setdefault(name.strip(), default.strip())
            elif kind == "RUN" and "pip install" in args:
                done = subprocess.run(["sh", "-c", args], cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=900)
                assert done.returncode == 0, f"RUN {args} failed; see test-output/image-start.log"
        torch = subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import torch; print(torch.__version__, torch.version.cuda)"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.split()
        assert torch == ["2.13.0+cpu", "None"], f"the image would get torch {torch}, not the CPU build"
        cmd = json.loads(dict(steps)["CMD"])
        env |= {"ELASTICSEARCH_URL": ES_URL, "INDEX_PREFIX": prefix, "BIND": f"127.0.0.1:{port}"}
        server = subprocess.Popen(cmd, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT)
        assert wait_for(f"http://127.0.0.1:{port}/v1/health", 300), (
            "the image's CMD never served; see test-output/image-start.log"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=10) as resp:
            health = json.load(resp)
        assert health["status"] == "ok" and health["index"]["documents"] > 0
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/compare",
            data=json.dumps({"claim": "Raqqa was almost completely destroyed."}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as resp:
            answer = json.load(resp)
        assert set(answer) >= {"supporting", "contradicting", "related"}
        assert any(answer[k] for k in ("supporting", "contradicting", "related")), "the seeds discuss Raqqa"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.yaml", timeout=10) as resp:
            assert resp.read().startswith(b"openapi:")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        log.close()
        drop_indices(es, prefix)
