"""gunicorn's settings for the hub: `gunicorn wsgi:app` reads this file from here.

What the figures in docs/performance.md ("Serving under gunicorn") showed on a
2-core machine: one worker per core with two threads each gave the school plan
its best p95 and rate, more workers than cores only share the same cores; and the p95
tail of the big pages is Python's full garbage collection walking every object
the app holds, which `gc.freeze()` after loading takes out of its walk (and a higher
threshold makes rarer).

Each setting can be overridden without editing this file, e.g.
`GUNICORN_WORKERS=3` or `gunicorn -c gunicorn.conf.py --bind 127.0.0.1:9000 wsgi:app`.
The scheduler is never run here: it is its own process (`flask --app wsgi
scheduler run`, docs/deploy.md says why).
"""
import gc
import os

from gunicorn.glogging import Logger

# Never a scheduler in a web worker, whatever the shared environment file says: one
# scheduler process runs the timed syncs (a job store cannot be shared by several).
os.environ["SCHEDULER_ENABLED"] = "0"

from webapp.log_secrets import hidden  # noqa: E402 (after the line above: config reads it on import)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front, on the same host
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
# Two threads per worker (measured best): while one request waits on PostgreSQL the
# other computes; past that, threads only queue on the GIL.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = 60  # the PDF pack of a large school is the longest request, a few seconds
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to us open between requests
max_requests = 5000  # a worker is replaced now and then, so no slow leak grows for ever
max_requests_jitter = 500
control_socket_disable = True  # not used; and two hubs on one host would share its path
accesslog = "-"
errorlog = "-"


class SecretsHiddenLogger(Logger):
    """gunicorn's logger, but a calendar feed's secret or a password link's token never
    reaches the access log (in the request line, the path, the referrer or a header)."""

    def atoms(self, resp, req, environ, request_time):
        return {key: hidden(value) for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = SecretsHiddenLogger
forwarded_allow_ips = "127.0.0.1"  # the app's ProxyFix (TRUSTED_PROXIES) reads X-Forwarded-*

# The app is built once, in the master, before the workers are forked: a broken
# configuration stops gunicorn at start instead of workers dying in a loop, and the
# workers share the loaded code's memory pages. (A code upgrade is then a restart,
# `systemctl restart partnership-hub`, not a HUP.)
preload_app = True


def when_ready(server):
    """In the master, with the app loaded and before any worker exists: compile every
    template now (they would be compiled in each worker on first use), then freeze
    all of it out of the garbage collector's sight. Every worker forked from here
    starts with those objects frozen: a full collection walks only what requests make.
    """
    import wsgi  # already imported by preload_app: this is the loaded app

    env = wsgi.app.jinja_env
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)
    gc.collect()
    gc.freeze()
    # A young-generation collection every 20,000 objects, not every 700: a page at 200
    # schools makes tens of thousands, and each collection also walked the kept figures
    # (some 250,000 objects): 4 to 7 ms of a head's home, in-process (docs/performance.md).
    gc.set_threshold(20_000, 10, 10)


def post_fork(server, worker):
    """The master opened no database connection, but a pool must never be shared
    across a fork: each worker starts with a pool of its own."""
    import wsgi
    from webapp.extensions import db

    with wsgi.app.app_context():
        db.engine.dispose(close=False)
