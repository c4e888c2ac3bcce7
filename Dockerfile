# The API only; Elasticsearch runs as its own service (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ELASTICSEARCH_URL=http://elasticsearch:9200 \
    BIND=0.0.0.0:8000

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY index ./index
COPY text ./text
COPY stance ./stance
COPY seeds ./seeds
COPY openapi.yaml gunicorn.conf.py ./
# the app warms the stance model at start, so the image needs torch: the CPU build from PyTorch's own index
# first, so resolving the model extra never pulls a CUDA build (tests/system/test_image_start.py runs these
# install lines and the CMD outside Docker, with TORCH_INDEX pointed at the machine's own index)
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "$TORCH_INDEX" "torch==2.13.0"
# EXTRAS=model,cluster adds the Redis client, for a rate-limit store shared by API replicas (docker-compose.cluster.yml)
ARG EXTRAS=model
RUN pip install ".[$EXTRAS]"
RUN useradd --system --no-create-home app
USER app

EXPOSE 8000
# Index the seeds (idempotent alias swap), then serve.
CMD ["sh", "-c", "python -m api index seeds && exec gunicorn --config gunicorn.conf.py api.wsgi:app"]
