"""Dependencies run one way: the imports app uses the domain apps, never the reverse. Only
the doors (the API, the management commands, the benchmarks) import it."""

import ast
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()
# The domain apps, and the apps that read for planners: none of them imports `imports`.
NOT_IMPORTING = ("accounts", "actors", "assessments", "insights", "reports")
# Still to move: the restore of a round refuses a file with the imports' ImportRefused
# (DESIGN.md puts the restore in imports/ too, "restore goes through services").
KNOWN = {("assessments/backup.py", "imports.tabular")}


def modules_imported(source: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            if node.module == "imports":  # from imports import pairs
                names.update(f"imports.{alias.name}" for alias in node.names)
    return names


def test_no_domain_app_imports_the_imports_app():
    found = set()
    checked = 0
    for app in NOT_IMPORTING:
        for source in (BASE / app).rglob("*.py"):
            checked += 1
            for name in modules_imported(source):
                if name == "imports" or name.startswith("imports."):
                    found.add((str(source.relative_to(BASE)), name))
    assert checked > 30
    assert found == KNOWN


def test_the_old_import_modules_are_gone():
    assert not (BASE / "actors" / "imports.py").exists()
    assert not (BASE / "assessments" / "imports.py").exists()
