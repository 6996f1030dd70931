"""Architecture rules checked on the source text: no import cycles, no oversized modules.

Neither test imports the project or touches the database: files are read and parsed with `ast`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "accounts",
    "organizations",
    "agreements",
    "funnel",
    "notifications",
    "webhooks",
    "api",
    "slaportal",
)
SKIPPED_DIRS = {"migrations", ".venv", "tests", "__pycache__"}
MAX_LINES = 450


def project_files(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Module name -> file, for every .py file of the packages (a package's `__init__` is `pkg`)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if SKIPPED_DIRS.intersection(parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _known_prefix(name: str, modules) -> str | None:
    """The longest leading part of a dotted name that is a project module (`a.b.X` -> `a.b`)."""
    parts = name.split(".")
    if SKIPPED_DIRS.intersection(parts):
        return None  # e.g. a migration: not one of the modules checked
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules):
    """What one import statement imports, resolved to dotted names (relative ones made absolute)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    # `from pkg import name` imports the submodule pkg.name when there is one, else from pkg.
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
        for alias in node.names
    ]


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports explicitly, at module level or inside functions.

    No implicit edges: importing `a.b.c` runs `a/__init__` too, but that is not counted. An edge
    from a submodule to its own package can only close a cycle when the package's `__init__`
    imports the submodule back (directly or through others), which is exactly when it matters.
    """
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported_names(node, module, is_package, modules):
                    targets.add(_known_prefix(name, modules))
        graph[module] = targets - {None, module}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the components with more than one module, sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(found)


def elementary_cycles(graph: dict[str, set[str]], component: list[str]) -> list[list[str]]:
    """Every simple cycle inside one component, each starting at its smallest module."""
    members = set(component)
    cycles = []
    for start in component:
        # Only modules after `start` may appear, so each cycle is found once, from its smallest.
        allowed = {m for m in members if m > start}
        paths = [[start]]
        while paths:
            path = paths.pop()
            for child in sorted(graph[path[-1]] & members):
                if child == start:
                    cycles.append([*path, start])
                elif child in allowed and child not in path:
                    paths.append([*path, child])
    return sorted(cycles, key=lambda cycle: (len(cycle), cycle))


def find_cycles(root: Path, packages=PACKAGES) -> list[str]:
    """Every import cycle among the packages' modules, written `a -> b -> a`."""
    graph = import_graph(project_files(root, packages))
    return [
        " -> ".join(cycle)
        for component in strongly_connected(graph)
        for cycle in elementary_cycles(graph, component)
    ]


def test_no_import_cycles_among_project_modules():
    cycles = find_cycles(ROOT)
    assert not cycles, "Import cycles among project modules:\n" + "\n".join(cycles)


def test_no_module_passes_450_lines():
    too_long = []
    for path in project_files(ROOT).values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not too_long, f"Modules over {MAX_LINES} lines:\n" + "\n".join(too_long)


# The agreement's lifecycle packages, and those each may import (besides the shared core:
# models, audit, lifecycle, mail).
LAYERS = {
    "agreements.authoring": set(),
    "agreements.versions": {"agreements.authoring"},
    "agreements.signing": {"agreements.authoring", "agreements.versions"},
    "agreements.reviews": {"agreements.authoring", "agreements.versions"},
}


def _layer(module: str) -> str | None:
    return next(
        (layer for layer in LAYERS if module == layer or module.startswith(layer + ".")), None
    )


def test_lifecycle_packages_depend_one_way_and_never_on_views_or_forms_below():
    graph = import_graph(project_files(ROOT))
    wrong = []
    for module, targets in sorted(graph.items()):
        source = _layer(module)
        for target in sorted(targets):
            layer = _layer(target)
            if source and layer and layer != source and layer not in LAYERS[source]:
                wrong.append(f"{module} -> {target}")
            # The API validates sections with the editor's own forms on purpose: it accepts
            # exactly what the pages accept.
            reuses_forms = module.startswith("api.") and target == "agreements.authoring.forms"
            if (
                layer
                and layer != source
                and target.rsplit(".", 1)[-1] in {"views", "forms"}
                and not reuses_forms
            ):
                wrong.append(f"{module} -> {target} (another package's views or forms)")
            core = module.split(".")[:2] == ["agreements", "models"] or module in {
                "agreements.lifecycle",
                "agreements.audit",
            }
            if core and layer:
                wrong.append(f"{module} -> {target} (the core imports no lifecycle package)")
    assert not wrong, "Imports against the layering:\n" + "\n".join(wrong)


def test_the_outbox_knows_nothing_of_the_apps_that_send_email():
    """notifications/ is used by agreements and organizations, never the other way round."""
    graph = import_graph(project_files(ROOT))
    wrong = [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        if module.split(".")[0] == "notifications"
        for target in sorted(targets)
        if target.split(".")[0] in {"accounts", "organizations", "agreements", "funnel"}
    ]
    assert not wrong, "The outbox imports an app that sends email:\n" + "\n".join(wrong)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_cycle_finder_itself(tmp_path):
    """A known cycle is found (through a function-level import); re-exports, a submodule that
    imports its package without being imported back, and migrations are not cycles."""
    _write(
        tmp_path,
        {
            # The package re-exports its submodules: normal, not a cycle by itself.
            "shop/__init__.py": "from .cart import Cart\nfrom . import orders\n",
            "shop/cart.py": "from shop.prices import price\n\nclass Cart:\n    pass\n",
            "shop/prices.py": "import shop.tax\n\ndef price():\n    pass\n",
            "shop/tax.py": "def rate():\n    from .prices import price\n    return price\n",
            "shop/orders.py": "from .cart import Cart\n",
            # Imports its package, but the package's __init__ never imports it: no cycle.
            "shop/report.py": "from shop import Cart\n",
            # Imports its package, whose __init__ imports it back: a real cycle.
            "shop/sub/__init__.py": "from .leaf import LEAF\nVALUE = 1\n",
            "shop/sub/leaf.py": "LEAF = 2\n\ndef f():\n    from shop.sub import VALUE\n",
            # Migrations are skipped, so this loop through them does not count.
            "shop/migrations/__init__.py": "",
            "shop/migrations/m1.py": "import shop.audit\n",
            "shop/audit.py": "from shop.migrations import m1\n",
            # Another package and an outside import.
            "other/__init__.py": "",
            "other/use.py": "import os\nimport shop.orders\nfrom shop.cart import Cart\n",
        },
    )
    assert find_cycles(tmp_path, packages=("shop", "other")) == [
        "shop.prices -> shop.tax -> shop.prices",
        "shop.sub -> shop.sub.leaf -> shop.sub",
    ]
