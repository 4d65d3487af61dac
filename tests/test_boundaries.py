"""The layers, as imports: analytics/ is framework-free (no Flask, Flask-SQLAlchemy or
service), and the command line (service/commands/) and the demo data (service/demo/) are
leaves that only their users import."""

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


#: Packages only some others may import: the command line is a leaf the app factory
#: registers, and the demo data is loaded by its command alone.
LEAVES = {
    "service.commands": ("service/__init__.py", "service/commands/"),
    "service.demo": ("service/commands/demo.py", "service/demo/"),
}


def test_leaf_packages_are_imported_only_by_their_users():
    offenders = []
    for path in ROOT.joinpath("service").rglob("*.py"):
        where = path.relative_to(ROOT).as_posix()
        for name in imported_modules(path):
            for leaf, users in LEAVES.items():
                if (name == leaf or name.startswith(leaf + ".")) and not where.startswith(users):
                    offenders.append(f"{where}: {name}")
    assert offenders == []
