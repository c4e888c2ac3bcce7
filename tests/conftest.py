"""Fixtures: a real Elasticsearch (started by scripts/test.sh), seeds indexed under a uuid prefix per session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.config import Settings
from api.services.archive import restates
from index.client import make_client
from index.ingest import build
from index.names import IndexNames
from text.documents import Document, load_folder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ES_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")


def pytest_report_header(config: pytest.Config) -> str:
    try:
        info = Elasticsearch(ES_URL, request_timeout=5).info()
        return f"elasticsearch: {info['version']['number']} at {ES_URL}"
    except Exception as err:  # noqa: BLE001 - a header must never fail the run
        return f"elasticsearch: unreachable at {ES_URL} ({type(err).__name__})"


@pytest.fixture(scope="session")
def seed_docs() -> list[Document]:
    return load_folder(SEEDS)


@pytest.fixture(scope="session")
def es() -> Iterator[Elasticsearch]:
    client = make_client(ES_URL, request_timeout=30, max_retries=2)
    if not client.ping():
        pytest.fail(f"Elasticsearch is not reachable at {ES_URL}: run the suite with scripts/test.sh")
    yield client
    client.close()


def drop_indices(es: Elasticsearch, prefix: str) -> None:
    """Delete every index under a test prefix."""
    names = list(es.indices.get(index=f"{prefix}-*", expand_wildcards="all", allow_no_indices=True))
    if names:
        es.indices.delete(index=",".join(names), ignore_unavailable=True)


@pytest.fixture(scope="session")
def seeded_names(es: Elasticsearch, seed_docs: list[Document]) -> Iterator[IndexNames]:
    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    build(es, names, seed_docs, restates=restates)  # as `python -m api index` builds it
    yield names
    drop_indices(es, names.prefix)


@pytest.fixture
def fresh_names(es: Elasticsearch) -> Iterator[IndexNames]:
    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    yield names
    drop_indices(es, names.prefix)


@pytest.fixture(scope="session")
def app(seeded_names: IndexNames) -> Flask:
    return create_app(Settings.from_env(elasticsearch_url=ES_URL, index_prefix=seeded_names.prefix))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
