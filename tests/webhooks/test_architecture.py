"""The webhooks app's place in the architecture, checked on the source text like
tests/test_architecture.py: agreements/ calls it, it never imports agreements/ back."""

from tests.test_architecture import (
    MAX_LINES,
    PACKAGES,
    ROOT,
    find_cycles,
    import_graph,
    project_files,
)

WITH_WEBHOOKS = (*PACKAGES, "webhooks")


def test_webhooks_import_nothing_from_the_apps_that_emit_events():
    graph = import_graph(project_files(ROOT, WITH_WEBHOOKS))
    wrong = [
        f"{module} -> {target}"
        for module, targets in sorted(graph.items())
        if module.split(".")[0] == "webhooks"
        for target in sorted(targets)
        if target.split(".")[0] in {"agreements", "funnel", "accounts"}
    ]
    assert not wrong, "webhooks/ imports an app that emits events:\n" + "\n".join(wrong)


def test_no_import_cycles_through_webhooks():
    assert find_cycles(ROOT, WITH_WEBHOOKS) == []


def test_no_webhooks_module_passes_450_lines():
    too_long = [
        f"{path.relative_to(ROOT)}: {len(path.read_text().splitlines())} lines"
        for module, path in project_files(ROOT, ("webhooks",)).items()
        if len(path.read_text().splitlines()) > MAX_LINES
    ]
    assert not too_long
