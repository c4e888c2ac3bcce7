"""The HTTP API and the command line: the Flask application factory (here), settings (`config`, the only reader of
the environment), thin blueprints (`routes/`, which never import `index`, `text` or `stance`), every schema
(`schemas`), errors (`errors`), use cases (`services/`, the only code that reaches the archive), the CLI (`cli`).
May import `index`, `text` and `stance`; never `training`."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, request

from api import auth, caching, errors, logs, request_context
from api.config import Settings
from api.limits import ModelSlots, limiter
from api.models import configure_models
from api.routes import compare, documents, entities, health, page, stance, watches
from api.services.archive import connect

__version__ = "0.1.0"


def _retry_after_only_when_waiting(response: Response) -> Response:
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def create_app(settings: Settings | None = None, *, server: bool = False, **overrides: Any) -> Flask:
    """Build the app: settings from the environment, one Elasticsearch client, blueprints, error handlers. `server`:
    built in one of gunicorn's WEB_CONCURRENCY workers, which share the machine's cores (api.models.configure_models)."""
    settings = settings or Settings.from_env(**overrides)
    logs.configure(settings.log_level)
    app = Flask(__name__, static_folder=None)  # the page blueprint serves api/static with its own headers
    app.config.update(
        SETTINGS=settings,
        VERSION=__version__,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(RATELIMIT_STORAGE_URI=settings.rate_limit_storage, RATELIMIT_HEADERS_ENABLED=True)
    limiter.init_app(app)
    app.extensions["archive"] = connect(settings)
    app.extensions["model_slots"] = ModelSlots(settings.compare_in_flight)
    configure_models(settings, processes=settings.web_concurrency if server else 1)
    for module in (health, documents, compare, entities, stance, watches, page):
        app.register_blueprint(module.bp)
    errors.register(app)
    request_context.register(app)
    caching.register(app)  # after_request runs in reverse: validators first, then the access line
    # Flask-Limiter's X-RateLimit-* headers stay (documented in openapi.yaml); Retry-After only where the client
    # must wait (429, 503), not on every answer of a limited route. First in the list, so it runs last.
    app.after_request_funcs.setdefault(None, []).insert(0, _retry_after_only_when_waiting)

    @app.before_request
    def _read_access() -> None:
        if request.endpoint not in ("health.health", "health.openapi", "page.index", "page.asset"):
            auth.check(write=False)

    _resume_deliveries(app.extensions["archive"], settings)
    if settings.warm_models:
        from stance.engine import engine
        from text.embedding import warm_up

        warm_up()
        engine()
    logging.getLogger(__name__).info("app ready, index prefix %s", settings.index_prefix)
    return app


def _resume_deliveries(archive: Any, settings: Settings) -> None:
    """Deliver webhooks from this process when the archive has watches with one (never creates an index)."""
    from api.services import deliveries

    try:
        if archive.watches.exists() and any(w.get("webhook_url") for w in archive.watches.all()):
            deliveries.ensure_running(archive, settings)
    except Exception:  # noqa: BLE001 - Elasticsearch not up yet: the first watch created starts it
        logging.getLogger(__name__).warning("webhook deliveries not resumed at start", exc_info=True)
