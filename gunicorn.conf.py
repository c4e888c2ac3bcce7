"""Gunicorn defaults read from the working directory: JSON logs for the server and the app (one access line per
request comes from the app, with its X-Request-ID)."""

import os

from api.logs import gunicorn_config

logconfig_dict = gunicorn_config(os.environ.get("LOG_LEVEL", "INFO"))
accesslog = None
