"""The young person's pages: open to all, no sign-in."""

from __future__ import annotations

from flask import Blueprint, render_template

from feedback.child.forms import CodeForm

bp = Blueprint("child", __name__)


@bp.route("/", methods=["GET", "POST"])
def start() -> str:
    """Ask for the code a worker or session leader gave the child."""
    form = CodeForm()
    if form.validate_on_submit():
        form.code.errors.append(CodeForm.wrong_code_message())
    return render_template("child/start.html", form=form)
