"""gunicorn.conf.py's access logger builds only the atoms its line shows: the line must stay
exactly what gunicorn itself would write, and gunicorn must still ask it for them."""

import importlib.util
import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def load_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def logger(logger_class, access_log_format):
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", access_log_format)
    return logger_class(config)


def a_request(status="303 SEE OTHER", sent=1234, path="/send?x=1"):
    response = SimpleNamespace(status=status, sent=sent, headers=[
        ("Content-Type", "text/html"), ("X-Request-ID", "5f3a9c0e1b2d4e6f")])
    request = SimpleNamespace(headers=[("HOST", "tablet.example"), ("USER-AGENT", "Tablet")])
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "10.0.0.7", "HTTP_USER_AGENT": "Tablet", "PATH_INFO": "/send",
               "QUERY_STRING": "x=1"}
    return response, request, environ, timedelta(seconds=1, microseconds=42_500)


def written_line(log: Logger, *request) -> str:
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    log.access_log.handlers = [handler]
    log.access(*request)
    return lines[0]


def test_the_access_line_is_what_gunicorn_itself_writes():
    conf = load_conf()
    for case in (a_request(path="/send"), a_request(status=200, sent=None, path="/")):
        ours = written_line(logger(conf.AccessLogger, conf.access_log_format), *case)
        theirs = written_line(logger(Logger, conf.access_log_format), *case)
        assert ours == theirs
    line = written_line(logger(conf.AccessLogger, conf.access_log_format), *a_request())
    assert line == '"POST /send HTTP/1.1" 303 1234 1042ms 5f3a9c0e1b2d4e6f'


def test_the_line_never_holds_a_query_string():
    conf = load_conf()
    old_link = a_request(path="/?code=ABCD-EFGH")
    line = written_line(logger(conf.AccessLogger, conf.access_log_format), *old_link)
    assert "ABCD" not in line and line.startswith('"POST / HTTP/1.1"')


def test_the_line_shows_no_address_and_no_browser():
    conf = load_conf()
    line = written_line(logger(conf.AccessLogger, conf.access_log_format), *a_request())
    assert "10.0.0.7" not in line and "Tablet" not in line


def test_gunicorn_still_asks_the_logger_for_its_atoms():
    conf = load_conf()
    asked = []

    class Watching(conf.AccessLogger):
        def atoms(self, *args):
            asked.append(True)
            return super().atoms(*args)

    written_line(logger(Watching, conf.access_log_format), *a_request())
    assert asked == [True]


def test_another_format_gets_gunicorns_full_set_of_atoms():
    conf = load_conf()
    line = written_line(logger(conf.AccessLogger, "%(h)s %(a)s"), *a_request())
    assert line == "10.0.0.7 Tablet"
