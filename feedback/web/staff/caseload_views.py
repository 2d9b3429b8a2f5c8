"""A worker's cases: those allocated to them, and their pods' caseload with search."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Pod, utcnow
from feedback.services import caseload
from feedback.web.staff import bp


def _page(mine: bool) -> str:
    query = request.args.get("q", "")[:100]
    pod_id = request.args.get("pod", type=int)
    closed = request.args.get("closed") == "1"
    pods = db.session.scalars(select(Pod).where(Pod.id.in_(current_user.pod_ids))
                              .order_by(Pod.name)).all()
    if pod_id not in {pod.id for pod in pods}:
        pod_id = None
    found = caseload.caseload(db.session, current_user, utcnow(),
                              current_app.config["DRIFT_DAYS"], mine=mine, query=query,
                              pod_id=pod_id, closed=closed,
                              page=request.args.get("page", 1, type=int))
    return render_template("staff/caseload.html", found=found, mine=mine, query=query,
                           pods=pods, pod_id=pod_id, closed=closed,
                           drift_days=current_app.config["DRIFT_DAYS"])


@bp.get("/my-cases")
def my_cases() -> str:
    """The cases allocated to me, with when each child was last heard from."""
    return _page(mine=True)


@bp.get("/caseload")
def caseload_page() -> str:
    """Every case of my pods: search by reference or name; unread and drift shown."""
    return _page(mine=False)
