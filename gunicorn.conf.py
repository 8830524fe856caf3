"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` on each app server (docs/deployment.md).

Everything that differs between servers comes from the environment; the defaults suit one server behind
a reverse proxy on the same host.
"""

import multiprocessing
import os

wsgi_app = "shenbao.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: each handles one request at a time, so a slow PDF holds one worker, not the server.
# Every worker keeps its own database connection (conn_max_age), so servers × workers is what PostgreSQL sees.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
# Generating a long 申请报告 PDF takes seconds; a request still running after this is killed and logged.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak in a library cannot grow for ever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Load Django once in the master and fork: workers start fast and share memory. Nothing opens a database
# connection while loading, and post_fork closes any anyway, so no connection is shared between workers.
preload_app = True

# X-Forwarded-Proto / -For are believed only from these addresses (the reverse proxies). Django reads the
# client address itself through PROXY_COUNT and the scheme through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on stdout, with the client address the proxy saw and the time taken (ms).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'


def post_fork(server, worker):
    from django.db import connections

    connections.close_all()
