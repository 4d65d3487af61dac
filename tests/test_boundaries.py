"""analytics/ is framework-free: it must not import Flask, Flask-SQLAlchemy or service."""

import ast
from pathlib import Path

FORBIDDEN = ("flask", "flask_sqlalchemy", "service")


def test_analytics_imports_neither_flask_nor_service():
    offenders = []
    for path in Path(__file__).resolve().parents[1].joinpath("analytics").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
