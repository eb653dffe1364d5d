#!/usr/bin/env bash
# Build (once, cached) a Python 3.14 venv in which generated plugins can be imported, type-checked
# and tested against a given open-ticket-ai release, without its ML stack.
#
#   scripts/runtime-env.sh 1.4.21     # prints the venv path, e.g. ~/.cache/create-otai-plugin/runtime/1.4.21-<hash>
#
# open-ticket-ai is installed with --no-deps: every 1.x release requires otai-hf-local (which
# pulls transformers[torch]) and 1.4.22+ require otai-zammad, which the package index does not
# serve. Only what the core modules import is added, within open-ticket-ai's own Requires-Dist
# ranges, plus the tools that plugin checks need. Prints exactly one line on stdout: the venv.
set -euo pipefail

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $0 <open-ticket-ai version>" >&2; exit 2; }
OTAI_VERSION="$1"
case "$OTAI_VERSION" in
  *[!0-9A-Za-z.+-]*) echo "runtime-env: not a version: $OTAI_VERSION" >&2; exit 2 ;;
esac

# Distributions that open_ticket_ai's core modules import at run time (or that pydantic-settings
# needs to read a config); their version ranges are taken from open-ticket-ai's own metadata.
RUNTIME_DEPS=(pydantic pydantic-settings injector async-lru pyyaml python-dotenv)
# Imported by open_ticket_ai.core.config (packaging.specifiers) but not declared by it.
UNDECLARED_DEPS=(packaging)
# Tools for checking plugins.
TOOL_DEPS=(
  "pytest==${OTAI_PYTEST_VERSION:-9.2.0}"
  "pytest-asyncio==${OTAI_PYTEST_ASYNCIO_VERSION:-1.5.0}"
  "ruff==${OTAI_RUFF_VERSION:-0.17.6}"
  "mypy==${OTAI_MYPY_VERSION:-2.4.1}"
)

log() { printf '[runtime-env] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# uv verifies TLS against its own bundled roots unless SSL_CERT_FILE is set; a machine whose
# traffic passes a proxy with its own CA has that CA only in the system store.
if [ -z "${SSL_CERT_FILE:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin_dir="$("$here/provision-python.sh" </dev/null)" || die "provision-python.sh failed"
export PATH="$bin_dir:$PATH"
export UV_PYTHON_DOWNLOADS=never
export UV_NO_PROGRESS=1

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/create-otai-plugin"
mkdir -p "$CACHE_ROOT/runtime"
key="$(printf '%s\n' "$(readlink -f "$bin_dir/python3.14")" "${RUNTIME_DEPS[@]}" \
  "${UNDECLARED_DEPS[@]}" "${TOOL_DEPS[@]}" | sha256sum | cut -c1-12)"
VENV="$CACHE_ROOT/runtime/$OTAI_VERSION-$key"

exec 9>"$CACHE_ROOT/runtime/.$OTAI_VERSION.lock"
flock 9

if [ -e "$VENV/.complete" ] && [ "${CREATE_OTAI_PLUGIN_REFRESH:-0}" != 1 ]; then
  printf '%s\n' "$VENV"
  exit 0
fi

log "building $VENV"
rm -rf "$VENV"
uv venv -q --python "$bin_dir/python3.14" "$VENV" </dev/null >&2
PY="$VENV/bin/python"
uv pip install -q --python "$PY" --no-deps "open-ticket-ai==$OTAI_VERSION" </dev/null >&2 \
  || die "could not install open-ticket-ai==$OTAI_VERSION"

# Requirement strings for RUNTIME_DEPS, exactly as open-ticket-ai declares them.
mapfile -t reqs < <("$PY" - "${RUNTIME_DEPS[@]}" <<'PY'
import re
import sys
from importlib.metadata import requires

wanted = {re.sub(r"[-_.]+", "-", n).lower() for n in sys.argv[1:]}
found = set()
for req in requires("open-ticket-ai") or []:
    if ";" in req and "extra ==" in req:
        continue
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", req).group(0)
    norm = re.sub(r"[-_.]+", "-", name).lower()
    if norm in wanted:
        found.add(norm)
        print(req)
for missing in sorted(wanted - found):
    print(missing)  # not declared by this release: take the newest
PY
)
log "installing ${reqs[*]} ${UNDECLARED_DEPS[*]} ${TOOL_DEPS[*]}"
uv pip install -q --python "$PY" "${reqs[@]}" "${UNDECLARED_DEPS[@]}" "${TOOL_DEPS[@]}" </dev/null >&2 \
  || die "could not install the runtime dependencies"

"$PY" - <<'PY' >&2 || die "open_ticket_ai does not import in $VENV"
import open_ticket_ai  # noqa: F401
from open_ticket_ai.core.config.app_config import AppConfig
from open_ticket_ai.core.dependency_injection.component_registry import ComponentRegistry  # noqa: F401
from open_ticket_ai.core.logging.stdlib_logging_adapter import StdlibLoggerFactory  # noqa: F401
from open_ticket_ai.core.pipes.pipe_context_model import PipeContext  # noqa: F401
from open_ticket_ai.core.pipes.pipe_models import PipeConfig, PipeResult  # noqa: F401
from open_ticket_ai.core.plugins.plugin import Plugin  # noqa: F401

AppConfig.model_construct()
PY
touch "$VENV/.complete"
printf '%s\n' "$VENV"
