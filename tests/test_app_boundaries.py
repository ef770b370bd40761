"""The benchmarks and the demo are not the product: no product app imports them or runs
their commands, so either can change or go without touching what users run."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

NOT_PRODUCT = ("benchmarks", "demo")


def commands_of(app_label: str) -> set[str]:
    folder = Path(apps.get_app_config(app_label).path) / "management" / "commands"
    return {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}


def product_sources():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if config.label in NOT_PRODUCT or base not in path.parents:
            continue
        yield from (file for file in path.rglob("*.py") if "migrations" not in file.parts)


def uses_of_non_product(source: Path, commands: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "call_command"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names = [f"command {node.args[0].value}"] if node.args[0].value in commands else []
        else:
            continue
        found += [
            f"{source.relative_to(Path(settings.BASE_DIR).resolve())}:{node.lineno} {name}"
            for name in names
            if name.split(".")[0] in NOT_PRODUCT or name.startswith("command ")
        ]
    return found


def test_no_product_app_imports_the_demo_or_the_benchmarks():
    commands = set().union(*(commands_of(label) for label in NOT_PRODUCT))
    sources = list(product_sources())
    assert len(sources) > 50  # the product apps were found
    used = [use for source in sources for use in uses_of_non_product(source, commands)]
    assert not used, used
