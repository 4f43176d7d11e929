"""The package layout: one subpackage per stage, imports only run downward, no circles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "claimcheck"
# Lower floors never import higher ones (models, errors and version sit below everything).
FLOORS = ["read", "text", "stories", "matching", "sources", "report", "pipeline", "cli"]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("claimcheck",) + tuple(p for p in parts if p != "__init__"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("claimcheck"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("claimcheck"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("typer", "rich"):
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names if a.name.split(".")[0] in ("typer", "rich"))
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in ROOT.rglob("*.py")}
    return {m: {d for d in _imports(p) if d in files and d != m} for m, p in files.items()}


def _floor(module: str) -> int | None:
    parts = module.split(".")
    return FLOORS.index(parts[1]) if len(parts) > 1 and parts[1] in FLOORS else None


def test_no_import_circle():
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                circles.append(path[path.index(dep):] + [dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_imports_run_downward():
    upward = []
    for module, deps in _graph().items():
        here = _floor(module)
        if here is None:
            continue
        for dep in deps:
            there = _floor(dep)
            if there is not None and there > here:
                upward.append(f"{module} -> {dep}")
    assert upward == []


def test_only_cli_and_report_use_typer_or_rich():
    users = sorted(_module(p) for p in ROOT.rglob("*.py") if _imports(p) & {"typer", "rich"})
    assert all(m == "claimcheck.cli" or m.startswith("claimcheck.report") for m in users), users
