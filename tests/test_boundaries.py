"""The layers, as imports. analytics/ is framework-free (no Flask, Flask-SQLAlchemy or
service). In service/, each package imports only what its docstring allows: the store and the
platform sit below the capabilities (access, intake, handling, scoring, reporting), which sit
below the API, the dashboard and the commands; the command line and the demo data are leaves
only their users import. An import made for type hints alone (under ``TYPE_CHECKING``) is no
dependency at run time and is not counted here, though no such import crosses a layer now."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ("flask", "flask_sqlalchemy", "service")

#: What each package of service/ may not import (packages of service/, by their last name).
#: Those not listed are free to: the API, the dashboard, the commands and the demo data are
#: the top.
OUTER = {"api", "dashboard", "commands", "demo"}
MAY_NOT_IMPORT = {
    "store": OUTER | {"access", "intake", "handling", "scoring", "reporting", "platform"},
    "platform": OUTER | {"access", "intake", "handling", "scoring", "reporting"},
    "access": OUTER - {"api"} | {"intake", "handling", "scoring", "reporting"},
    "handling": OUTER | {"intake", "scoring", "reporting"},
    "scoring": OUTER | {"handling", "reporting"},
    "intake": OUTER | {"reporting"},
    "reporting": OUTER | {"intake", "handling"},
    "api": {"dashboard", "commands", "demo"},
    "dashboard": {"api", "commands", "demo"},
}
#: The one import of the API below it: the rate limits ask whether a request replays a
#: stored Idempotency-Key answer.
ALLOWED = {("service/access/limits.py", "service.api.responses")}
#: Packages only some modules may import: the commands (the app factory registers them) and
#: the demo data (its command loads it).
LEAVES = {
    "service.commands": ("service/__init__.py", "service/commands/"),
    "service.demo": ("service/commands/demo.py", "service/demo/"),
}


def imported_modules(path: Path) -> list[str]:
    """The absolute module names ``path`` imports, relative imports resolved, those under
    ``if TYPE_CHECKING:`` left out."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    tree = ast.parse(path.read_text("utf-8"))
    hints = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    names = []
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def service_modules():
    for path in sorted(ROOT.joinpath("service").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), imported_modules(path)


def test_analytics_imports_neither_flask_nor_service():
    offenders = []
    for path in ROOT.joinpath("analytics").rglob("*.py"):
        offenders += [
            f"{path.name}: {name}"
            for name in imported_modules(path)
            if name.split(".")[0] in FRAMEWORK
        ]
    assert offenders == []


def test_each_package_imports_only_what_its_layer_allows():
    offenders = []
    for where, names in service_modules():
        parts = where.split("/")
        forbidden = MAY_NOT_IMPORT.get(parts[1], set()) if len(parts) > 2 else set()
        for name in names:
            target = name.split(".")
            if len(target) > 1 and target[0] == "service" and target[1] in forbidden:
                if (where, ".".join(target[:3])) not in ALLOWED:
                    offenders.append(f"{where}: {name}")
    assert offenders == []


def test_leaf_packages_are_imported_only_by_their_users():
    offenders = []
    for where, names in service_modules():
        for name in names:
            for leaf, users in LEAVES.items():
                if (name == leaf or name.startswith(leaf + ".")) and not where.startswith(users):
                    offenders.append(f"{where}: {name}")
    assert offenders == []
