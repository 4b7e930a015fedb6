"""Behind nginx (docs/deploy.md): the forwarded headers the app believes, and those it does not."""
from flask import jsonify, request

from config import TestConfig
from webapp import create_app


def seen_by(proxies, headers, database_url):
    """What the app takes for the client's address, scheme and host, given these headers."""
    app = create_app(type("Proxied", (TestConfig,), {"TRUSTED_PROXIES": proxies}),
                     SQLALCHEMY_DATABASE_URI=database_url, HUB_URL="https://hub.example.org")
    app.add_url_rule("/_seen", "seen", lambda: jsonify(addr=request.remote_addr, scheme=request.scheme,
                                                       host=request.host, url=request.url_root))
    return app.test_client().get("/_seen", headers={"Host": "hub.example.org", **headers},
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()


def test_behind_one_proxy_the_app_takes_the_address_and_scheme_nginx_added(database_url):
    # nginx appends the real client address to whatever the client sent, sets Proto, and
    # passes the Host it matched its server_name with.
    seen = seen_by(1, {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}, database_url)
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "hub.example.org",
                    "url": "https://hub.example.org/"}


def test_a_client_forging_the_headers_is_believed_no_further_than_the_proxies_trusted(database_url):
    forged = {"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    direct = seen_by(0, forged, database_url)  # no proxy in front: the headers are the client's own words
    assert direct["addr"] == "127.0.0.1" and direct["scheme"] == "http" and direct["host"] == "hub.example.org"
    # One proxy trusted but two hops claimed: only the last (nginx's) counts.
    seen = seen_by(1, {"X-Forwarded-For": "6.6.6.6, 10.1.2.3"}, database_url)
    assert seen["addr"] == "10.1.2.3"
    # X-Forwarded-Host is never believed, even from the trusted proxy: the Host stands.
    assert seen_by(1, forged, database_url)["host"] == "hub.example.org"
