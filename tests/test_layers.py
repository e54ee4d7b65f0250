"""The apps stand in layers (DESIGN.md): regions < innovations < replications < replikasi."""

import ast
from pathlib import Path

import pytest

from innovations import models as bank
from replications.models import Status

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["regions", "innovations", "replications", "replikasi"]


def imported_top_level_modules(app: str) -> set[str]:
    modules = set()
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_a_lower_app_never_imports_a_higher_one(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    assert imported_top_level_modules(app) & higher == set()


def test_the_bank_reads_proposal_statuses_that_exist():
    statuses = set(Status.values)
    assert set(bank.PROPOSAL_DRAFT_STATUSES) <= statuses
    assert set(bank.PROPOSAL_ADOPTED_STATUSES) <= statuses
    assert set(bank.PROPOSAL_PUBLIC_STATUSES) <= statuses
    assert bank.PROPOSAL_COMPLETED_STATUS == Status.REPLICATED
