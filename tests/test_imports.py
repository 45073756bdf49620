"""The import rules, proved from the source (parsed with `ast`; nothing is imported): no cycle
among Silta's modules, handlers/ and digests/ imported in bot/ only by the wiring, and no import
hidden in a function to dodge a cycle — only those deferred for start-up time, listed here.

An import under `if TYPE_CHECKING:` never runs, so it is not an edge: a type named in an
annotation may point back at its user.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "digests")
WIRING = "bot.wiring"

_DATABASE = "start-up time: classifying texts loads neither SQLAlchemy nor the settings"
DEFERRED = {
    ("bot.classify.service", "bot.models"): _DATABASE,
    ("bot.classify.service", "bot.store.bursts"): _DATABASE,
    ("bot.classify.service", "bot.store.classifications"): _DATABASE,
    ("bot.classify.service", "bot.store.classifier_models"): _DATABASE,
    ("bot.classify.service", "bot.store.labels"): _DATABASE,
    ("bot.classify.train", "bot.store.classifier_models"): _DATABASE,
    ("bot.classify.train", "bot.store.labels"): _DATABASE,
}
"""(importer, imported) pairs of Silta's modules that may be imported inside a function, and
why. Equal to what the source has, so an entry that no longer applies fails too."""


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: bool
    type_only: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
}


def _targets(importer: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Silta's modules the statement imports: `from a import b` is a.b when that is a module."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = importer.split(".")
        if node.level:
            package = base if MODULES[importer].name == "__init__.py" else base[:-1]
            base = package[: len(package) - node.level + 1]
            source = ".".join([*base, *([node.module] if node.module else [])])
        else:
            source = node.module or ""
        names = [
            f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
            for alias in node.names
        ]
    yield from (name for name in names if name.split(".")[0] in PACKAGES)


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(
    body: list[ast.stmt], *, in_function: bool, type_only: bool
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool, bool]]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function, type_only
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _statements(node.body, in_function=True, type_only=type_only)
        elif isinstance(node, ast.If):
            guarded = type_only or _type_checking(node.test)
            yield from _statements(node.body, in_function=in_function, type_only=guarded)
            yield from _statements(node.orelse, in_function=in_function, type_only=type_only)
        else:
            blocks = [getattr(node, name, []) for name in ("body", "orelse", "finalbody")]
            blocks += [handler.body for handler in getattr(node, "handlers", [])]
            blocks += [case.body for case in getattr(node, "cases", [])]
            for block in blocks:
                yield from _statements(block, in_function=in_function, type_only=type_only)


def imports() -> list[Import]:
    found = []
    for importer, path in sorted(MODULES.items()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function, type_only in _statements(
            tree.body, in_function=False, type_only=False
        ):
            found += [
                Import(importer, imported, node.lineno, in_function, type_only)
                for imported in _targets(importer, node)
            ]
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(edges.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def graph(found: list[Import]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for each in found:
        if not each.type_only and each.imported != each.importer:
            edges[each.importer].add(each.imported)
    return edges


def test_the_modules_import_each_other_without_a_cycle():
    top_level = [each for each in imports() if not each.in_function]
    assert cycles(graph(top_level)) == []


def test_no_import_inside_a_function_closes_a_cycle_either():
    assert cycles(graph(imports())) == []


def test_in_bot_only_the_wiring_imports_handlers_or_digests():
    outside = {
        f"{each.importer}:{each.line} imports {each.imported}"
        for each in imports()
        if each.importer.split(".")[0] == "bot"
        and each.importer != WIRING
        and each.imported.split(".")[0] in ("handlers", "digests")
    }
    assert outside == set()


def test_imports_inside_functions_are_only_those_deferred_for_start_up_time():
    deferred = {
        (each.importer, each.imported)
        for each in imports()
        if each.in_function and not each.type_only
    }
    assert deferred == set(DEFERRED)


def test_job_specs_and_the_scheduler_import_no_feature():
    uses = graph(imports())
    assert uses["bot.jobspec"] == set()
    assert uses["bot.scheduler"] == {"bot.jobspec"}


def test_the_checks_see_what_they_are_meant_to():
    """The parser finds the imports this suite relies on, so a rule cannot pass by seeing
    nothing."""
    found = imports()
    uses = graph(found)
    assert {"handlers", "digests.jobs", "digests.cli", "bot.alert_jobs"} <= uses[WIRING]
    assert ("bot.classify.service", "bot.store.bursts") in {
        (each.importer, each.imported) for each in found if each.in_function
    }
    assert ("bot.sandbox.server", "bot.sandbox.sandbox") in {
        (each.importer, each.imported) for each in found if each.type_only
    }
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
