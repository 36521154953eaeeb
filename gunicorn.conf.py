"""Gunicorn settings for serving OneVoice: ``gunicorn -c gunicorn.conf.py "app:create_app()"``.

Every value can be set from the environment (docs/deploy.md). Each worker imports the app
itself (``preload_app`` off), so each has its own SQLAlchemy engine and connection pool:
connections are never shared across a fork. Nothing else lives in process memory (sessions
are signed cookies, retake limits and eligibility are in the database), so any worker on any
host can answer any request.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or os.environ.get("ONEVOICE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count())
# gthread keeps HTTP keep-alive connections (a load balancer's, the routing system's)
# without tying a process to each one; threads share the worker's engine safely.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# On SQLite, one thread per worker: a thread holding the database's one write lock would
# otherwise queue for the GIL behind its siblings while every other writer queues for the
# lock (benchmarks/b3_exam_window.py saw "database is locked" errors with 4 threads).
_sqlite = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
threads = int(os.environ.get("GUNICORN_THREADS") or (1 if _sqlite else 4))
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)  # a long board export stays alive
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)  # 0 = never recycle
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # "-" = stdout; "" turns it off
accesslog = accesslog or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a load balancer or proxy on another host, list its address here so
# X-Forwarded-Proto/For are trusted (HTTPS links, client addresses in the access log).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the app is imported, move its long-lived objects (modules, routes, compiled
    statements and templates) out of the garbage collector's sight: full collections then
    scan only request garbage, which shortens the pauses that make up the latency tail."""
    import gc

    gc.collect()
    gc.freeze()
