"""Schemathesis drives every operation of openapi.yaml against the app: no 5xx, responses match the spec."""

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
pytestmark = pytest.mark.contract

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="session")
def api_schema(app):
    loaded = schemathesis.openapi.from_path(str(SPEC))
    loaded.app = app
    return loaded


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_contract(case):
    case.call_and_validate()
