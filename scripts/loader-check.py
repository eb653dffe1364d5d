"""Load a plugin the way the Open Ticket AI runtime does and print the registry keys it adds.

Run with the Python of an environment where open-ticket-ai and the plugin are installed:

    python scripts/loader-check.py MODULE [ENTRY_POINT_NAME]

MODULE is the plugin's top-level module (e.g. otai_my_plugin). Exactly one entry point in the
group open_ticket_ai.plugins must have a value in that module; if ENTRY_POINT_NAME is given, it
must also carry that name. Like the runtime's PluginLoader, it calls ep.load(), calls the result
with one AppConfig (AppConfig.model_construct(), which reads no environment, .env or config.yml),
checks that it returned a Plugin and calls on_load() with a real ComponentRegistry.

On success prints one line of JSON on stdout:
    {"entryPoint": {"name": ..., "value": ...}, "keys": [...sorted registry keys]}
On failure prints "loader-check: ..." on stderr and exits 1 (2 for bad usage).
"""

import contextlib
import json
import sys
import traceback
from importlib.metadata import entry_points

DEFAULT_GROUP = "open_ticket_ai.plugins"
MAX_ARGS = 2


def fail(message: str, code: int = 1) -> None:
    print(f"loader-check: {message}", file=sys.stderr)
    sys.exit(code)


def main(argv: list[str]) -> None:
    if not 1 <= len(argv) <= MAX_ARGS or argv[0] in ("-h", "--help"):
        fail("usage: loader-check.py MODULE [ENTRY_POINT_NAME]", 2)
    module = argv[0]
    expected_name = argv[1] if len(argv) == MAX_ARGS else None

    # Imported here so that a missing or unimportable open_ticket_ai gets a clear message.
    try:
        from open_ticket_ai.core.config.app_config import AppConfig  # noqa: PLC0415
        from open_ticket_ai.core.dependency_injection.component_registry import ComponentRegistry  # noqa: PLC0415
        from open_ticket_ai.core.plugins.plugin import Plugin  # noqa: PLC0415
    except Exception as exc:  # noqa: BLE001 - report any import problem plainly
        fail(f"cannot import open_ticket_ai with {sys.executable} (Python {sys.version.split()[0]}): {exc!r}")

    group = getattr(AppConfig, "PLUGIN_ENTRY_POINT_GROUP", DEFAULT_GROUP)
    all_eps = list(entry_points(group=group))
    matching = [ep for ep in all_eps if ep.value == module or ep.value.startswith((module + ".", module + ":"))]
    if not matching:
        found = ", ".join(f"{ep.name} = {ep.value}" for ep in all_eps) or "none"
        fail(f"no entry point in group {group!r} points into module {module!r} (found: {found})")
    if len(matching) > 1:
        found = ", ".join(f"{ep.name} = {ep.value}" for ep in matching)
        fail(f"more than one entry point in group {group!r} points into {module!r}: {found}")
    ep = matching[0]
    if expected_name is not None and ep.name != expected_name:
        fail(f"entry point {ep.value!r} is named {ep.name!r}, expected {expected_name!r}")

    # Anything the plugin prints must not spoil the JSON on stdout.
    with contextlib.redirect_stdout(sys.stderr):
        step = f"ep.load() of {ep.name} = {ep.value}"
        try:
            create_plugin = ep.load()
            step = f"calling {ep.value}(AppConfig)"
            plugin = create_plugin(AppConfig.model_construct())
            if not isinstance(plugin, Plugin):
                kind = type(plugin).__qualname__
                fail(f"{ep.value}(AppConfig) returned {kind}, which is not an open_ticket_ai Plugin")
            step = f"{type(plugin).__qualname__}.on_load(ComponentRegistry())"
            registry = ComponentRegistry()
            plugin.on_load(registry)
            keys = sorted(registry.get_available_injectables())
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - the runtime would abort startup here too
            traceback.print_exc(file=sys.stderr)
            fail(f"{step} failed: {exc!r}")

    print(json.dumps({"entryPoint": {"name": ep.name, "value": ep.value}, "keys": keys}))


if __name__ == "__main__":
    main(sys.argv[1:])
