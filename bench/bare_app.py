"""The yardstick for intake: bare Flask views inserting the same rating or message row into
the same database, with no validation, no auth and no scoring. ``gunicorn bench.bare_app:app``."""

import json
import os
import secrets
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import create_engine, text

from service.platform.config import database_url

engine = create_engine(database_url(os.environ["DATABASE_URL"]))
app = Flask(__name__)

INSERT = text(
    "INSERT INTO ratings (stars, comment, transaction_id, channel, service_item_id,"
    " department_id, region_code, sentiment_label, sentiment_model, account_id, created_at)"
    " VALUES (:stars, :comment, :transaction_id, :channel, :service_item_id, :department_id,"
    " :region_code, 'none', 'bare', :account_id, :created_at) RETURNING id"
)


def created(statement, values: dict):
    """Insert one row in its own transaction and answer 201 with its id, as intake does."""
    with engine.begin() as connection:
        row_id = connection.execute(statement, values).scalar_one()
    return app.response_class(json.dumps({"id": row_id}), status=201, mimetype="application/json")


@app.post("/api/v1/ratings")
def create_rating():
    body = request.get_json()
    return created(
        INSERT,
        {
            "stars": body["stars"],
            "comment": body.get("comment"),
            "transaction_id": body["transaction_id"],
            "channel": body.get("channel", "app"),
            "service_item_id": int(os.environ["BENCH_SERVICE_ITEM_ID"]),
            "department_id": int(os.environ["BENCH_DEPARTMENT_ID"]),
            "region_code": os.environ["BENCH_REGION_CODE"],
            "account_id": int(os.environ["BENCH_ACCOUNT_ID"]),
            "created_at": datetime.now(UTC),
        },
    )


INSERT_MESSAGE = text(
    "INSERT INTO messages (tracking_code, type, title, content, region_source, anonymous,"
    " confidential, status, sentiment_label, sentiment_model, account_id, created_at, updated_at)"
    " VALUES (:tracking_code, 'complaint', :title, :content, 'unknown', false, false,"
    " 'accepted', 'none', 'bare', :account_id, :created_at, :created_at) RETURNING id"
)


@app.post("/api/v1/messages")
def create_message():
    body = request.get_json()
    return created(
        INSERT_MESSAGE,
        {
            "tracking_code": "B" + secrets.token_hex(8).upper(),
            "title": body["title"],
            "content": body["content"],
            "account_id": int(os.environ["BENCH_ACCOUNT_ID"]),
            "created_at": datetime.now(UTC),
        },
    )
