"""Production plumbing: request ids, JSON request logs, readiness."""

import json
import logging

from lms import create_app
from lms.extensions import db
from lms.ops.request_log import RequestIdFilter


def test_every_response_carries_a_request_id_and_a_plain_proxy_id_is_kept(client):
    fresh = client.get("/healthz")
    assert len(fresh.headers["X-Request-ID"]) == 32
    assert client.get("/healthz").headers["X-Request-ID"] != fresh.headers["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-abc-12345"})
    assert kept.headers["X-Request-ID"] == "proxy-abc-12345"


def test_a_request_id_that_could_forge_a_log_line_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc\"} {\"level\": \"x\"}"})
    assert response.headers["X-Request-ID"].isalnum()


def test_each_request_is_logged_once_without_its_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="lms.requests"):
        client.get("/register?q=secret-token", headers={"X-Request-ID": "trace-0000001"})
    [line] = [r for r in caplog.records if r.name == "lms.requests"]
    assert (line.method, line.path, line.status) == ("GET", "/register", 200)
    assert line.request_id == "trace-0000001"
    assert "secret-token" not in json.dumps(line.__dict__, default=str)
    assert line.duration_ms >= 0


def test_json_log_format_writes_one_object_per_line_with_the_request_id(app, capsys):
    json_app = create_app({"ENV": "testing", "LOG_FORMAT": "json",
                           "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        json_app.test_client().get("/healthz", headers={"X-Request-ID": "trace-0000002"})
        lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        with json_app.app_context():  # its own connection pool, not the suite's
            db.engine.dispose()
    [entry] = [x for x in lines if x.get("logger") == "lms.requests"]
    assert entry["request_id"] == "trace-0000002"
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert entry["level"] == "INFO"


def test_request_id_filter_outside_a_request_says_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    assert RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_ready_when_the_database_is_migrated_and_the_store_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": "ok", "rate_limit_store": "ok"}


def test_not_ready_when_the_schema_is_behind_the_code(app, client, monkeypatch):
    monkeypatch.setattr("alembic.script.ScriptDirectory.get_heads", lambda self: ["0000future"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "schema not at the code's migration"


def test_not_ready_when_the_rate_limit_store_is_down(client, monkeypatch):
    from lms.extensions import limiter
    monkeypatch.setattr(type(limiter.storage), "check", lambda self: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["rate_limit_store"] == "unreachable"
