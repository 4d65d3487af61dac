"""Behind TRUSTED_PROXIES proxies the client is the address they forward; with none, the peer
(a client cannot name its own address)."""

from flask import request

from service import create_app


def test_the_client_is_the_forwarded_address_only_behind_a_trusted_proxy(database_uri):
    for hops, seen in ((0, "10.0.0.2"), (1, "203.0.113.5")):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "TESTING": True,
                          "SECRET_KEY": "tests", "TRUSTED_PROXIES": hops})  # fmt: skip
        app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
        answer = app.test_client().get(
            "/whoami", headers={"X-Forwarded-For": "203.0.113.5"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        )  # fmt: skip
        assert answer.get_data(as_text=True) == seen
