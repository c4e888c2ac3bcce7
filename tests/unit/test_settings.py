"""The settings module: every variable parsed, checked and reported by name; gunicorn reads the same values."""

import runpy
from pathlib import Path

import pytest

from api.config import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_typed_values():
    s = Settings.from_env({"STANCE_THREADS": "1", "STANCE_BF16": "FALSE", "WARM_MODELS": "no", "LOG_LEVEL": "debug"})
    assert (s.stance_threads, s.bf16, s.warm_models, s.log_level) == (1, False, False, "DEBUG")
    assert Settings.from_env({}).bf16 is False, "fp32 by default: verdicts must not depend on the CPU"
    assert Settings.from_env({"STANCE_BF16": "auto"}).bf16 is None and Settings.from_env({"STANCE_BF16": "true"}).bf16 is True


@pytest.mark.parametrize(
    "env, named",
    [
        ({"STANCE_THREADS": "two"}, "STANCE_THREADS='two': expected an integer"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY='0': must be positive"),
        ({"ES_MAX_RETRIES": "-1"}, "ES_MAX_RETRIES='-1': must not be negative"),
        ({"STANCE_BF16": "sometimes"}, "STANCE_BF16='sometimes': expected one of auto, true, false"),
        ({"WARM_MODELS": "maybe"}, "WARM_MODELS='maybe': expected one of"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='loud'"),
        ({"ES_REQUEST_TIMEOUT": "soon"}, "ES_REQUEST_TIMEOUT='soon': expected a number"),
    ],
)
def test_an_unusable_value_is_named(env, named):
    with pytest.raises(SettingsError, match="invalid configuration") as err:
        Settings.from_env(env)
    assert named in str(err.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"THREADS": "x", "STANCE_INT8": "y"})
    assert "THREADS='x'" in str(err.value) and "STANCE_INT8='y'" in str(err.value)


def test_gunicorn_reads_the_settings(monkeypatch):
    monkeypatch.setenv("BIND", "127.0.0.1:9911")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("THREADS", "5")
    monkeypatch.setenv("WORKER_TIMEOUT", "77")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["bind"], conf["workers"], conf["threads"], conf["timeout"]) == ("127.0.0.1:9911", 3, 5, 77)


def test_the_cli_refuses_bad_settings(monkeypatch, capsys):
    from api.cli import main

    monkeypatch.setenv("STANCE_THREADS", "many")
    assert main(["entities", "Raqqa"]) == 2
    assert "STANCE_THREADS='many'" in capsys.readouterr().err


def test_a_missing_weights_folder_is_named(tmp_path):
    from api.models import configure_models

    with pytest.raises(FileNotFoundError, match="STANCE_WEIGHTS"):
        configure_models(Settings(stance_weights=str(tmp_path)))
