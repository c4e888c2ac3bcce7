"""Gunicorn's configuration, the only one: run.sh, the Dockerfile, `python -m api serve` and the system tests all
start `gunicorn -c gunicorn.conf.py api.wsgi:app`. Values come from the app's Settings (BIND, WEB_CONCURRENCY,
THREADS, WORKER_TIMEOUT, LOG_LEVEL); JSON logs for the server and the app (one access line per request comes from
the app, with its X-Request-ID)."""

from api.config import Settings
from api.logs import gunicorn_config

_settings = Settings.from_env()
bind = _settings.bind
workers = _settings.web_concurrency
threads = _settings.threads
timeout = _settings.worker_timeout
logconfig_dict = gunicorn_config(_settings.log_level)
accesslog = None
