"""The apps stand in layers (docs/architecture.md): core < regions < accounts < innovations <
replications < portal < replikasi. A lower app never imports a higher one, and never names a higher
app's table in SQL; devtools (demo data, benchmarks) may use every app, and no app uses it."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from innovations import models as bank
from replications.models import Status

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "regions", "accounts", "innovations", "replications", "portal", "replikasi"]
APPS = [*LAYERS, "devtools"]


def python_files(app: str):
    return sorted((ROOT / app).rglob("*.py"))


def imported_top_level_modules(app: str) -> set[str]:
    modules = set()
    for path in python_files(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def tables_named(app: str) -> set[str]:
    """The apps whose tables a string or .sql file of ``app`` names (migrations included: their SQL
    runs at the app's own layer)."""
    tables = {model._meta.db_table: model._meta.app_label for model in django_apps.get_models()}
    pattern = re.compile(r"\b(" + "|".join(sorted(tables, key=len, reverse=True)) + r")\b")
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / app).rglob("*.sql")]
    for path in python_files(app):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts += [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
    return {tables[match.group(1)] for text in texts for match in pattern.finditer(text)}


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"replikasi"}
    assert apps == set(APPS)


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_a_lower_app_never_imports_a_higher_one(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :]) | {"devtools"}
    assert imported_top_level_modules(app) & higher == set()


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_a_lower_apps_sql_never_names_a_higher_apps_table(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :]) | {"devtools"}
    assert tables_named(app) & higher == set()


def test_core_knows_no_domain():
    assert imported_top_level_modules("core") & set(APPS) <= {"core"}


def test_the_bank_reads_proposal_statuses_that_exist():
    statuses = set(Status.values)
    assert set(bank.PROPOSAL_DRAFT_STATUSES) <= statuses
    assert set(bank.PROPOSAL_ADOPTED_STATUSES) <= statuses
    assert set(bank.PROPOSAL_PUBLIC_STATUSES) <= statuses
    assert bank.PROPOSAL_COMPLETED_STATUS == Status.REPLICATED


def test_the_bank_counts_and_shows_the_programmes_own_status_groups():
    assert set(bank.PROPOSAL_ADOPTED_STATUSES) == set(Status.ADOPTED)
    assert set(bank.PROPOSAL_PUBLIC_STATUSES) == set(Status.PUBLIC)
    assert set(bank.PROPOSAL_DRAFT_STATUSES) == {*Status.EDITABLE, Status.CANCELLED}


def test_migrations_import_no_live_code():
    """A migration runs the same way forever: it may name fields, paths and defaults of its app's
    models (Django writes those) and load the shipped reference data through its app's loader (which
    takes the historical models it is given), but reads no list, SQL or function of the live code."""
    found = {}
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = ["importlib.import_module"]
            live = [
                name
                for name in names
                if name.split(".")[0] in APPS and not name.endswith((".models", ".reference"))
            ]
            live += [name for name in names if name.startswith("importlib")]
            if live:
                found[str(path.relative_to(ROOT))] = live
    assert found == {}
