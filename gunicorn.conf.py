"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

import gunicorn.http.wsgi
from gunicorn.glogging import Logger

# No version banner: the Server header names no software or version.
gunicorn.http.wsgi.SERVER = "feedback"

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
# The access log shows method, path (no query string: never a name, a code or a
# child's words), status, size, time and
# the request's id (as in the application's log and on an error page): no IP
# address and no user agent.
accesslog = "-"
ACCESS_LOG_FORMAT = '"%(r)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'
access_log_format = ACCESS_LOG_FORMAT


class AccessLogger(Logger):
    """gunicorn's logger, building only the five values the access line shows, and
    the request's path without its query string.

    gunicorn otherwise builds every atom it could show (each request header,
    response header and WSGI variable) for every request before formatting the
    line: about 8% of a child's submission's time, for values never written. A
    different ``access_log_format`` gets gunicorn's full set again.
    ``tests/test_gunicorn_access_log.py`` fails if the line ever differs from gunicorn's own
    (for a request with no query) or holds a query.
    """

    def atoms(self, resp, req, environ, request_time):
        if self.cfg.access_log_format != ACCESS_LOG_FORMAT:
            return super().atoms(resp, req, environ, request_time)
        # The path without its query: a search or an old link can carry a name or a code.
        path = environ["RAW_URI"].split("?", 1)[0]
        sent = getattr(resp, "sent", None)
        status = resp.status
        return {
            "r": f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}",
            "s": status.split(None, 1)[0] if isinstance(status, str) else status,
            "b": str(sent) if sent is not None else "-",
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "{x-request-id}o": next((value for name, value in resp.headers
                                     if name.lower() == "x-request-id"), "-"),
        }


logger_class = AccessLogger
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Build the theming analyser before the worker takes its first request.

    It takes a second or two; built lazily, the first child after a restart
    would wait for it.
    """
    from feedback.web.analyser import current_analyser

    with worker.wsgi.app_context():
        current_analyser()
