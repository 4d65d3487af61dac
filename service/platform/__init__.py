"""What the service runs on, whatever it does: its settings from the environment (config),
one error shape for every failure (errors), security headers (headers), Redis (redis_client),
database connections (connections), migrations (migrations), gunicorn's worker
(gunicorn_worker) and RQ's (worker).

It imports nothing of the service above it but the store, which errors and worker reach only
to end a failed request's or job's transaction."""
