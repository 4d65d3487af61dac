"""The layers, as imports: analytics/ is framework-free (no Flask, Flask-SQLAlchemy or
service), and the command line (service/commands/) is a leaf nothing else imports."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("flask", "flask_sqlalchemy", "service")


def imported_modules(path: Path) -> list[str]:
    """The absolute module names ``path`` imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def test_analytics_imports_neither_flask_nor_service():
    offenders = []
    for path in Path(__file__).resolve().parents[1].joinpath("analytics").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_only_the_app_factory_imports_the_commands():
    commands, factory = ROOT / "service" / "commands", ROOT / "service" / "__init__.py"
    offenders = []
    for path in ROOT.joinpath("service").rglob("*.py"):
        if path.is_relative_to(commands) or path == factory:
            continue
        offenders += [
            f"{path.relative_to(ROOT)}: {name}"
            for name in imported_modules(path)
            if name == "service.commands" or name.startswith("service.commands.")
        ]
    assert offenders == []
