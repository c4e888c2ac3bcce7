"""The CLI asks a running server that serves its archive (no model load), and answers the same as the API."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

from tests.conftest import ES_URL, ROOT

CLAIM = "Fighters were evacuated from the city under an agreement."


def _cli(server: str, prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "ELASTICSEARCH_URL": ES_URL, "INDEX_PREFIX": prefix, "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "api", "compare", CLAIM, "--url", server, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_cli_uses_the_server_that_serves_its_archive(server):
    with urllib.request.urlopen(server + "/v1/health", timeout=10) as resp:
        prefix = json.load(resp)["index"]["prefix"]
    done = _cli(server, prefix, "--format", "json", "--outlet", "steigan.no", "--published-after", "2017-01-01")
    assert done.returncode == 0, done.stderr
    assert f"via the server at {server}" in done.stderr
    answer = json.loads(done.stdout)
    request = urllib.request.Request(
        server + "/v1/compare",
        json.dumps({"claim": CLAIM, "limit": 10, "outlets": ["steigan.no"], "published_after": "2017-01-01"}).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as resp:
        direct = json.load(resp)
    assert answer == direct
    assert all(p["outlet"] == "steigan.no" for side in ("supporting", "contradicting", "related") for p in answer[side])


def test_a_server_of_another_archive_is_not_used(server):
    done = _cli(server, "some-other-prefix-never-built", "--format", "json")
    assert "no server for index some-other-prefix-never-built" in done.stderr
    # and, loaded here, the missing archive is a one-line error, not a stack trace
    assert done.returncode == 1 and "nothing is indexed under 'some-other-prefix-never-built'" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_options_are_named_before_anything_runs(server):
    done = _cli(server, "any", "--published-after", "yesterday")
    assert done.returncode == 2 and "invalid published_after" in done.stderr
