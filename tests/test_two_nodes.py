"""Two app nodes (separate gunicorn processes) behind one database and one Redis: what one
node does, the other sees. Sessions, sign-in throttling, signing keys and scheduled jobs
live outside the app process.

Needs Redis (LMS_TEST_REDIS_URL, default redis://127.0.0.1:6379/15); `make test` leaves
these tests out, loudly, when no Redis answers, and .ci/run starts one."""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.notify.models import Notification
from tests.helpers import login_as
from tests.practice.conftest import create_record
from tests.practice.conftest import practice_scheme as practice_scheme  # a fixture
from tests.practice.conftest import recognise as recognise  # a fixture

pytestmark = pytest.mark.needs_redis

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_env(app) -> dict:
    return {**os.environ, "LMS_CONFIG": "testing",
            "LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LMS_RATELIMIT_STORAGE_URL": REDIS_URL}


class Node:
    def __init__(self, app, log):
        self.log = log
        self.port = _free_port()
        self.env = _node_env(app)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
             f"127.0.0.1:{self.port}", "lms:create_app()"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_up(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).close()  # noqa: S310
                return
            except (urllib.error.URLError, ConnectionError):
                assert self.process.poll() is None, Path(self.log.name).read_text()[-2000:]
                time.sleep(0.3)
        raise AssertionError("node did not start")

    def cli(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "lms", *args],
                                cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def nodes(app, tmp_path_factory):
    import redis

    with redis.Redis.from_url(REDIS_URL) as store:
        store.flushdb()
    logs = tmp_path_factory.mktemp("nodes")
    started = [Node(app, (logs / f"node{n}.log").open("w")) for n in (1, 2)]
    try:
        for node in started:
            node.wait_until_up()
        yield started
    finally:
        for node in started:
            node.stop()


class Browser:
    """A person with cookies, who may talk to either node."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310 (http only)

    def post(self, url: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))  # noqa: S310

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_session_started_on_one_node_works_on_the_other(nodes, make_user):
    a, b = nodes
    user = make_user(display_name="Nia Two-Nodes")
    person = Browser()
    status, _ = person.post(a.url + "/login", {"username": user.username,
                                               "password": user.password})
    assert status == 302
    status, page = person.get(b.url + "/account")
    assert status == 200
    assert "Nia Two-Nodes" in page
    person.post(b.url + "/logout", {})  # signed out on b: the session is gone on a too
    status, _ = person.get(a.url + "/account")
    assert status == 302


def test_wrong_passwords_on_both_nodes_count_towards_one_limit(nodes, make_user):
    a, b = nodes
    user = make_user()
    guesser = Browser()
    for node in (a, a, a, b, b):  # the limit is 5 per account and address
        status, _ = guesser.post(node.url + "/login", {"username": user.username,
                                                       "password": "wrong"})
        assert status == 200
    status, page = guesser.post(a.url + "/login", {"username": user.username,
                                                   "password": user.password})
    assert status == 429
    assert "Too many attempts" in page


def test_a_key_rotated_on_one_node_is_published_by_the_other(nodes):
    a, b = nodes
    before = {k["kid"] for k in json.loads(Browser().get(b.url + "/.well-known/jwks.json")[1])
              ["keys"]}
    rotate = a.cli("accreditation", "rotate-key")
    output = rotate.communicate(timeout=60)[0]
    assert rotate.returncode == 0, output
    new_kid = output.split("new signing key: ")[1].split()[0]
    after = {k["kid"] for k in json.loads(Browser().get(b.url + "/.well-known/jwks.json")[1])
             ["keys"]}
    assert new_kid in after
    assert new_kid not in before
    assert before <= after  # old keys stay published, so old credentials still verify


def test_a_sweep_started_on_both_nodes_sends_each_reminder_once(app, nodes, practice_scheme):
    create_record(login_as(app, practice_scheme.practitioner), practice_scheme.scheme.id)
    runs = [node.cli("notify", "due") for node in nodes]
    outputs = [run.communicate(timeout=90)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    created = sum(int(line.split(": ")[1].split()[0]) for out in outputs
                  for line in out.splitlines() if "new notifications" in line)
    with app.app_context():
        notifications = db.session.scalar(select(func.count()).select_from(Notification))
    # the practitioner (never supervised) and the scheme's 3 supervisors, each told once
    assert notifications == 4
    assert created == 4
