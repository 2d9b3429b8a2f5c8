"""The layout's rules that a test can hold (import-linter and mypy hold the rest, in make test)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from sqlalchemy import Table

from feedback.models import Base
from feedback.services import passwords

PACKAGE = Path(__file__).resolve().parents[1] / "feedback"
BLUEPRINTS = ("child", "staff", "board", "admin", "auth", "api")
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 40


def test_every_view_module_of_a_blueprint_adds_routes(app):
    """A view module left out of its package's list would silently have no routes."""
    routed = {view.__module__ for view in app.view_functions.values()}
    for name in BLUEPRINTS:
        for path in (PACKAGE / "web" / name).glob("*views*.py"):
            module = f"feedback.web.{name}.{path.stem}"
            importlib.import_module(module)
            assert module in routed, f"{module} adds no route: list it in its __init__.py"


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long


def test_no_view_function_is_over_40_lines(app):
    long = []
    for view in app.view_functions.values():
        view = getattr(view, "__wrapped__", view)
        source = Path(view.__code__.co_filename)
        if PACKAGE not in source.parents:
            continue
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == view.__name__ \
                    and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES:
                long.append(f"{source.name}:{node.name}")
    assert not long


def test_every_model_maps_a_table():
    """``Base`` tells mypy that ``__table__`` is a Table: Core statements are built on it."""
    assert Base.registry.mappers
    assert all(isinstance(mapper.class_.__table__, Table) for mapper in Base.registry.mappers)


def test_the_test_suite_hashes_passwords_cheaply_and_production_does_not(app, app_factory):
    assert passwords.current_parameters().memory_cost == 8  # argon2's cheapest
    production = passwords.HASHERS["production"]
    assert production._parameters.memory_cost >= 65536  # noqa: SLF001 (RFC 9106, low memory)
