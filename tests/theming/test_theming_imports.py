"""The theming package is a pure library: no Flask, no SQLAlchemy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import feedback.theming

PACKAGE = Path(feedback.theming.__file__).parent
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug")


def test_importing_the_package_loads_neither_flask_nor_sqlalchemy() -> None:
    code = ("import sys, feedback.theming; "
            "from feedback.theming import analyse; analyse('my social worker is nice'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{FORBIDDEN!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=PACKAGE.parent.parent)
    assert result.stdout.strip() == "[]"


def test_no_module_in_the_package_imports_flask_or_sqlalchemy() -> None:
    offenders = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names
                          if name.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_the_public_api_is_exported() -> None:
    for name in ("analyse", "analyse_safely", "Analyser", "Analysis", "ThemeMatch",
                 "Sentiment", "Safeguarding", "load_taxonomy", "load_lexicon",
                 "LexiconError", "THEME_CODES", "train", "compare", "ThemeClassifier",
                 "LabelledExample"):
        assert hasattr(feedback.theming, name), name
