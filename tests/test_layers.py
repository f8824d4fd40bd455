"""Imports run one way: pages -> chat -> assistant -> scenes -> projects.

Every module of the app is read with `ast` (nothing is imported), and every
import of another of its modules is checked against the layers below. A
lower layer never imports a higher one; exports sits beside the chat and may
use only scenes, projects and the chat's events. README "Architecture" draws
the same layers.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("chatvideo", "pages", "projects", "scenes", "assistant", "messages_app", "exports")

# Highest first. A module's layer is the first whose prefixes it starts with.
PAGES = (
    "pages",
    "chatvideo.urls",
    "chatvideo.asgi",  # the server's entry point: starts the chat's listener
)
LAYERS = [
    ("pages", PAGES),
    ("chat", ("messages_app",)),
    ("exports", ("exports",)),
    ("assistant", ("assistant",)),
    ("scenes", ("scenes",)),
    ("projects", ("projects",)),
    # settings and small helpers (durations, the secret key): they import no app
    ("core", ("chatvideo",)),
]
RANK = {"pages": 5, "chat": 4, "exports": 4, "assistant": 3, "scenes": 2, "projects": 1, "core": 0}
# What exports may use of the chat, its neighbour.
EXPORTS_MAY_IMPORT = ("messages_app.events",)

# Imports that break the direction today, each with why. Keep this short: it
# may only shrink (a stale entry fails the test below).
ALLOWED_EXCEPTIONS: set[tuple[str, str]] = set()


def layer_of(module: str) -> str:
    for name, prefixes in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return name
    raise AssertionError(f"{module} is in no layer")


def app_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(module: str, path: Path) -> set[str]:
    """Every module `module` imports (at any depth in the file), absolute."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            # "from scenes import views" imports scenes.views.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def wrong_way(importer: str, imported: str, modules: dict) -> bool:
    if imported not in modules:
        return False  # a name imported from a module, not a module
    if importer.split(".")[0] == imported.split(".")[0] and layer_of(importer) == layer_of(
        imported
    ):
        return False  # inside one app's layer
    low, high = layer_of(imported), layer_of(importer)
    if high == "exports" and low == "chat":
        return not imported.startswith(EXPORTS_MAY_IMPORT)
    if high == "chat" and low == "exports":
        return True
    return RANK[low] > RANK[high]


def wrong_way_imports() -> set[tuple[str, str]]:
    modules = app_modules()
    return {
        (importer, imported)
        for importer, path in modules.items()
        for imported in imports_of(importer, path)
        if wrong_way(importer, imported, modules)
    }


def test_no_module_imports_a_higher_layer():
    assert wrong_way_imports() - ALLOWED_EXCEPTIONS == set()


def test_every_allowed_exception_is_still_needed():
    assert ALLOWED_EXCEPTIONS - wrong_way_imports() == set()


@pytest.mark.parametrize(
    "importer, imported",
    [
        ("scenes.history", "messages_app.models"),
        ("projects.models", "scenes.models"),
        ("assistant.orchestrator", "messages_app.models"),
        ("messages_app.reply", "pages.projects"),
        ("projects.access", "pages.chat"),
        ("exports.chromium", "pages.scenes"),
        ("exports.run", "messages_app.reply"),
        ("messages_app.reply", "exports.models"),
    ],
)
def test_the_check_catches_an_import_up(importer, imported):
    assert wrong_way(importer, imported, app_modules() | {imported: None})


def test_every_view_module_is_in_the_pages_package():
    views = [m for m in app_modules() if m.split(".")[-1] == "views"]
    assert views == [], "page views live in pages/, one module per page"


def test_every_app_module_is_in_a_layer():
    for module in app_modules():
        layer_of(module)


def test_the_brains_share_words_only_through_the_assistant_package():
    # The model brains and the offline brain say the same things (what they
    # cannot do, where export and undo are) from assistant/*.py, not from each other.
    modules = app_modules()
    crossing = {
        (importer, imported)
        for importer, path in modules.items()
        for imported in imports_of(importer, path)
        for a, b in (("assistant.llm", "assistant.offline"), ("assistant.offline", "assistant.llm"))
        if importer.startswith(a + ".") and (imported == b or imported.startswith(b + "."))
    }
    assert crossing == set()
