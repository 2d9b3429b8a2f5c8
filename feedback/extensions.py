"""Flask extensions, created unbound; ``create_app`` binds them."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from feedback.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login = LoginManager()
# Per-address ceilings only apply where a view asks for them; the default is
# generous because 30 tablets in one school share one address.
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Every limit is on a POST (codes, answers, sign-in): a page read checks none.

    Said once here, the limiter skips its per-request look-up of limits for
    every GET, and a limit added later for a read has to say so here too.
    """
    return request.method in ("GET", "HEAD", "OPTIONS")
