"""Packaging: what the code imports is declared, and what is declared is pinned in the lock."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
OWN = {"bot", "index", "tests", "benchmarks"} | {p.stem for p in (REPO / "benchmarks").glob("*.py")}


def _declared(*extras: str) -> set[str]:
    project = PYPROJECT["project"]
    lines = project["dependencies"] + [r for e in extras
                                       for r in project["optional-dependencies"][e]]
    return {canonicalize_name(Requirement(line).name) for line in lines}


def _imported(folder: str) -> set[str]:
    """Top-level modules imported anywhere under a package folder (outside the stdlib)."""
    names = set()
    for path in (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - OWN


def test_every_imported_package_is_declared() -> None:
    owners = packages_distributions()
    for folder, extras in (("bot", ()), ("index", ()), ("tests", ("test",))):
        declared = _declared(*extras)
        for module in _imported(folder):
            dists = {canonicalize_name(d) for d in owners.get(module, [module])}
            assert dists & declared, f"{folder}/ imports {module} ({dists}): not in pyproject"


def test_every_declared_package_is_pinned_in_the_lock() -> None:
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    pinned = {canonicalize_name(m) for m in re.findall(r"^([A-Za-z0-9._-]+)==", lock, re.M)}
    missing = _declared("test") - pinned
    assert not missing, f"run scripts/lock.sh: {sorted(missing)} not in requirements.lock"
    hashed = re.findall(r"^([A-Za-z0-9._-]+)==[^\n]*\\\n\s+--hash=sha256:", lock, re.M)
    assert len(hashed) == len(re.findall(r"^[A-Za-z0-9._-]+==", lock, re.M))
