"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

# No version banner: the Server header names no software or version.
gunicorn.http.wsgi.SERVER = "feedback"

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
# The access log shows method, path (never a child's words), status, size and
# time: no IP address and no user agent.
accesslog = "-"
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Build the theming analyser before the worker takes its first request.

    It takes a second or two; built lazily, the first child after a restart
    would wait for it.
    """
    from feedback.analyser import current_analyser

    with worker.wsgi.app_context():
        current_analyser()
