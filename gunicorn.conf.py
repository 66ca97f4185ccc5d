"""gunicorn settings for production (README, "Running in production"). Each can be
overridden on the command line or with GUNICORN_CMD_ARGS; the numbers here are the ones the
benchmarks in bench/ were measured with."""

import gc
import multiprocessing
import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
# Pages spend most of their time in Python, so one process per core (plus one to cover a
# worker waiting on the database); threads add little under the GIL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("LMS_THREADS", 1))
# A request that takes longer than this is stuck: the worker is replaced.
timeout = 30
graceful_timeout = 30
keepalive = 5  # behind a proxy that reuses connections
# Load the app once in the master: workers share its memory (copy-on-write) and a broken
# configuration stops the start instead of every worker failing on its own.
preload_app = True
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The app logs each request itself, with its request id (lms/ops); gunicorn's access log
# would repeat it.
accesslog = None
errorlog = "-"
wsgi_app = "lms:create_app()"


def pre_fork(server, worker):
    """What the master loaded (routes, mappers, compiled templates) lives as long as the
    workers: frozen, the garbage collector stops rescanning it on every full collection
    (about a third of a learner page's CPU, measured in-process), and its memory pages stay
    shared with the master instead of being copied when the collector touches them."""
    gc.freeze()


def post_fork(server, worker):
    """Connections opened in the master before forking must not be shared by workers."""
    from lms.extensions import db

    app = worker.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
