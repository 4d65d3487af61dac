# Minsheng: by default the web service (the migrations, under a lock replicas share, then
# gunicorn); `flask --app wsgi worker` runs a worker. Configure with DATABASE_URL, REDIS_URL
# and, with more than one instance, one SECRET_KEY for all (README, "Deployment").

# The dashboard's ECharts and map outlines: pinned npm tarballs checked against their sha512
# (scripts/vendor_assets.py, plain HTTPS: no npm); only the files it writes go on.
FROM python:3.11-slim AS assets
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
    LOG_FORMAT=json \
    MODEL_DIR=/models \
    JIEBA_CACHE_DIR=/app/cache

WORKDIR /app
COPY requirements.txt .
# The lock, every file checked against its hash.
RUN pip install --require-hashes -r requirements.txt

# The code is root's; the app's user writes only its own folders: the instance folder (the
# SQLite database and secret key when those are not configured) and the models.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app minsheng \
    && mkdir -p /app/instance /models /app/cache \
    && chown minsheng:minsheng /app/instance /models
COPY . .
COPY --from=assets /app/service/dashboard/static/vendor service/dashboard/static/vendor
# jieba's dictionary cache for the themes and keywords, built now into the image (not /tmp):
# no worker pays for it.
RUN python -c "from analytics.words import segmenter; segmenter().lcut('预热')" \
    && python -m compileall -q service analytics

USER minsheng
EXPOSE 8000
# /healthz on whatever port GUNICORN_BIND names.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn -c gunicorn.conf.py wsgi:app"]
