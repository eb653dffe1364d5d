#!/usr/bin/env bash
# Provision a real CPython >= 3.14 plus uv, ruff and mypy, without touching the system.
#
# Prints exactly one line on stdout: a bin directory to prepend to PATH. It holds
# `python3.14`, `uv`, `ruff` and `mypy`. Everything else goes to stderr.
#
#   PATH="$(scripts/provision-python.sh):$PATH"
#
# How Python 3.14 is obtained when none is on PATH (Debian 12 ships 3.11): Debian unstable's
# CPython 3.14 binary packages are downloaded with private apt options (the system's sources
# are untouched), unpacked with dpkg-deb next to unstable's own C library, and pointed at that
# library with patchelf. Results are cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/create-otai-plugin/, keyed by the package versions, so a
# second run does no network access and returns at once.
#
# Environment:
#   CREATE_OTAI_PLUGIN_REFRESH=1   re-resolve the Debian packages and the tool versions
#   OTAI_UV_VERSION, OTAI_RUFF_VERSION, OTAI_MYPY_VERSION   override the pinned tool versions
set -euo pipefail

UV_VERSION="${OTAI_UV_VERSION:-0.13.9}"
RUFF_VERSION="${OTAI_RUFF_VERSION:-0.17.6}"
MYPY_VERSION="${OTAI_MYPY_VERSION:-2.4.1}"

# uv verifies TLS against its own bundled roots unless SSL_CERT_FILE is set; a machine whose
# traffic passes a proxy with its own CA has that CA only in the system store.
if [ -z "${SSL_CERT_FILE:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/create-otai-plugin"
BIN_DIR="$CACHE_ROOT/bin"
REFRESH="${CREATE_OTAI_PLUGIN_REFRESH:-0}"

DEBIAN_PACKAGES=(
  python3.14-minimal libpython3.14-minimal libpython3.14-stdlib python3.14 python3.14-venv
  python3-pip-whl python3-setuptools-whl libc6 libexpat1 zlib1g libssl3t64 libbz2-1.0 libffi8
  liblzma5 libsqlite3-0 libuuid1 libzstd1 libncursesw6 libtinfo6 libreadline8t64 libdb5.3t64
  libgcc-s1
)

log() { printf '[provision-python] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a command with its stdout sent to stderr, so that stdout carries only the bin dir.
quiet() { "$@" >&2; }

mkdir -p "$CACHE_ROOT" "$BIN_DIR"
exec 9>"$CACHE_ROOT/.provision.lock"
flock 9

is_py314() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 14) else 1)' >/dev/null 2>&1
}

# Replace a link in BIN_DIR atomically.
link() {
  local target="$1" name="$2"
  ln -sfn "$target" "$BIN_DIR/.$name.tmp"
  mv -Tf "$BIN_DIR/.$name.tmp" "$BIN_DIR/$name"
}

# ---------------------------------------------------------------------------------------------
# Python 3.14
# ---------------------------------------------------------------------------------------------
find_python_on_path() {
  local candidate path
  for candidate in python3.14 python3.15 python3.16 python3 python; do
    # Skip our own bin dir, if it is already on PATH.
    path="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$BIN_DIR" | paste -sd: -)" \
      command -v "$candidate" 2>/dev/null)" || continue
    if is_py314 "$path"; then
      # Resolve to the real interpreter (pyenv shims and the like need their own environment).
      "$path" -c 'import sys; print(sys.executable)' 2>/dev/null && return 0
    fi
  done
  return 1
}

ensure_patchelf() {
  command -v patchelf >/dev/null 2>&1 && { command -v patchelf; return; }
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if ! apt-cache policy patchelf 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      log "apt-get update (no candidate for patchelf yet)"
      quiet env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    fi
    log "apt-get install patchelf"
    quiet env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq patchelf </dev/null
    command -v patchelf
    return
  fi
  die "patchelf is missing and cannot be installed with apt-get (not root?)"
}

provision_debian_python() {
  local apt_dir="$CACHE_ROOT/apt-sid"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
  printf '%s\n' \
    'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main' \
    >"$apt_dir/sources.list"
  local apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Architectures=amd64"
    -o "Acquire::Languages=none"
    -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1"
  )
  [ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported (found $(uname -m))"

  log "resolving Debian unstable's python3.14 packages"
  quiet apt-get "${apt_opts[@]}" -qq update </dev/null
  local uris
  uris="$(apt-get "${apt_opts[@]}" -qq download --print-uris "${DEBIAN_PACKAGES[@]}" </dev/null)" \
    || die "apt-get could not find the packages: ${DEBIAN_PACKAGES[*]}"
  # Each line: 'URI' FILENAME SIZE HASH. The file names carry the versions.
  local key
  key="$(printf '%s\n' "$uris" | awk '{print $2}' | sort | sha256sum | cut -c1-16)"
  local version
  version="$(printf '%s\n' "$uris" | awk '{print $2}' | grep '^python3.14-minimal_' \
    | sed -E 's/^python3\.14-minimal_([^_]+)_.*/\1/' | sed 's/%3a/:/g')"
  local dest="$CACHE_ROOT/python/$version-$key"
  if [ -x "$dest/root/usr/bin/python3.14" ] && is_py314 "$dest/root/usr/bin/python3.14"; then
    log "python3.14 $version already unpacked in $dest"
  else
    local patchelf_bin
    patchelf_bin="$(ensure_patchelf)"
    log "downloading ${#DEBIAN_PACKAGES[@]} packages (python3.14 $version)"
    (cd "$apt_dir/debs" && rm -f ./*.deb && quiet apt-get "${apt_opts[@]}" -qq download "${DEBIAN_PACKAGES[@]}" </dev/null)
    local tmp="$dest.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp/root"
    local deb
    for deb in "$apt_dir/debs"/*.deb; do
      dpkg-deb -x "$deb" "$tmp/root"
    done
    local lib="$tmp/root/usr/lib/x86_64-linux-gnu" final_lib="$dest/root/usr/lib/x86_64-linux-gnu"
    [ -e "$lib/ld-linux-x86-64.so.2" ] || die "ld-linux-x86-64.so.2 missing from the unpacked libc6"
    "$patchelf_bin" --set-interpreter "$final_lib/ld-linux-x86-64.so.2" --set-rpath "$final_lib" \
      "$tmp/root/usr/bin/python3.14"
    local so
    for so in "$tmp/root/usr/lib/python3.14/lib-dynload"/*.so; do
      "$patchelf_bin" --set-rpath "$final_lib" "$so"
    done
    rm -rf "$dest" && mv "$tmp" "$dest"
    rm -f "$apt_dir/debs"/*.deb
    is_py314 "$dest/root/usr/bin/python3.14" || die "the unpacked python3.14 does not run"
    "$dest/root/usr/bin/python3.14" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, venv, ensurepip' \
      || die "the unpacked python3.14 lacks a standard module"
  fi
  ln -sfn "$dest" "$CACHE_ROOT/python/.current.tmp" && mv -Tf "$CACHE_ROOT/python/.current.tmp" "$CACHE_ROOT/python/current"
}

PYTHON=""
if PYTHON="$(find_python_on_path)"; then
  log "using $PYTHON from PATH"
else
  current="$CACHE_ROOT/python/current/root/usr/bin/python3.14"
  if [ "$REFRESH" != 1 ] && [ -x "$current" ] && is_py314 "$current"; then
    :
  else
    provision_debian_python
  fi
  PYTHON="$(readlink -f "$CACHE_ROOT/python/current")/root/usr/bin/python3.14"
fi
link "$PYTHON" python3.14

# ---------------------------------------------------------------------------------------------
# uv, ruff, mypy
# ---------------------------------------------------------------------------------------------
# uv and ruff are standalone binaries shipped in wheels: a venv of the machine's python3 holds
# them. mypy parses the code it follows with its own interpreter's parser, and open_ticket_ai
# uses 3.13/3.14 syntax, so mypy lives in a venv of the Python 3.14 above.
on_path() {
  PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$BIN_DIR" | paste -sd: -)" command -v "$1" 2>/dev/null
}

TOOLS="$CACHE_ROOT/tools/uv$UV_VERSION-ruff$RUFF_VERSION"
UV=""
UV="$(on_path uv)" && log "using $UV from PATH" || UV=""
RUFF=""
RUFF="$(on_path ruff)" && log "using $RUFF from PATH" || RUFF=""

if [ -z "$UV" ] || [ -z "$RUFF" ]; then
  if [ "$REFRESH" = 1 ] || [ ! -e "$TOOLS/.complete" ]; then
    log "installing uv==$UV_VERSION ruff==$RUFF_VERSION into $TOOLS"
    rm -rf "$TOOLS"
    bootstrap=""
    for candidate in python3 "$PYTHON"; do
      if "$candidate" -m venv "$TOOLS" >&2 2>/dev/null && "$TOOLS/bin/python" -m pip --version >/dev/null 2>&1; then
        bootstrap="$candidate"
        break
      fi
      rm -rf "$TOOLS"
    done
    if [ -z "$bootstrap" ]; then
      # Debian's Python 3.14 unpacked here has no working ensurepip: use its pip wheel directly.
      pip_whl="$(ls "$(dirname "$(dirname "$PYTHON")")"/share/python-wheels/pip-*.whl 2>/dev/null | head -1)"
      [ -n "$pip_whl" ] || die "no python with venv+pip found to install uv and ruff"
      "$PYTHON" -m venv --without-pip "$TOOLS" >&2
      quiet "$TOOLS/bin/python" "$pip_whl/pip" install -q --disable-pip-version-check "pip"
    fi
    quiet env PIP_DISABLE_PIP_VERSION_CHECK=1 "$TOOLS/bin/python" -m pip install -q \
      "uv==$UV_VERSION" "ruff==$RUFF_VERSION" </dev/null
    touch "$TOOLS/.complete"
  fi
  [ -n "$UV" ] || UV="$TOOLS/bin/uv"
  [ -n "$RUFF" ] || RUFF="$TOOLS/bin/ruff"
fi
link "$UV" uv
link "$RUFF" ruff

PY_KEY="$(printf '%s' "$PYTHON" | sha256sum | cut -c1-12)"
MYPY_ENV="$CACHE_ROOT/tools/mypy$MYPY_VERSION-py$PY_KEY"
if [ "$REFRESH" = 1 ] || [ ! -e "$MYPY_ENV/.complete" ]; then
  log "installing mypy==$MYPY_VERSION into $MYPY_ENV"
  rm -rf "$MYPY_ENV"
  quiet env UV_PYTHON_DOWNLOADS=never "$UV" venv -q --python "$PYTHON" "$MYPY_ENV" </dev/null
  quiet env UV_PYTHON_DOWNLOADS=never "$UV" pip install -q --python "$MYPY_ENV/bin/python" \
    "mypy==$MYPY_VERSION" </dev/null
  touch "$MYPY_ENV/.complete"
fi
link "$MYPY_ENV/bin/mypy" mypy

"$BIN_DIR/python3.14" --version >&2
"$BIN_DIR/uv" --version >&2
"$BIN_DIR/ruff" --version >&2
"$BIN_DIR/mypy" --version >&2
printf '%s\n' "$BIN_DIR"
