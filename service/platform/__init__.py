"""What the service runs on, whatever it does: its settings from the environment, checked at
start (config), one error shape for every failure (errors), security headers (headers), Redis
(redis_client), database connections (connections), migrations (migrations), gunicorn's worker
(gunicorn_worker) and RQ's (worker), and what its operators watch: log lines with their
request or job (logs), Prometheus metrics (metrics) and error reports (error_reports).

It imports nothing of the service above it but the store, which errors and worker reach only
to end a failed request's or job's transaction, and metrics to read the scoring backlog."""
