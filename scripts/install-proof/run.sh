#!/usr/bin/env bash
# The install proof: an adopter can install our plugins into a fresh Backstage app exactly as the README says.
#
#   scripts/install-proof/run.sh          (after `npm ci`; Node 22 or 24 on PATH; .ci/run calls it after `npm test`)
#
#  1. builds and packs every published plugin (scripts/pack-plugins.js) and serves the tarballs from a throwaway
#     local registry (registry.js), as npm would after `npm publish`; everything else comes from registry.npmjs.org;
#  2. generates a fresh app with @backstage/create-app and bumps its Backstage packages to the newest release
#     (`yarn up '@backstage/*'`: versions.backstage.io, which `backstage-cli versions:bump` reads, is unreachable here);
#  3. applies the README's install section to it (apply-readme.js: its commands, run verbatim with the app's own
#     Yarn 4, and its code lines);
#  4. type-checks and builds the app and the backend, starts the backend (app-config.proof.yaml: our own ports, a
#     static token, the adopter template and the example deployment as catalog locations), checks the Open AMT API,
#     the scaffolder's actions and the app's bundle (check-backend.js, plus a grep of the bundle);
#  5. opens the example deployment's entity page in chromium and waits for the health card (entity-page.ts).
#
# Fails at the first failing step. Prints each step's time and the total. Work directory: INSTALL_PROOF_WORK
# (default: a new temporary directory, removed on success unless INSTALL_PROOF_KEEP=1).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/scripts/install-proof"
WORK="${INSTALL_PROOF_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/install-proof.XXXXXX")}"
APP="$WORK/myapp"
CREATE_APP_VERSION="${INSTALL_PROOF_CREATE_APP_VERSION:-0.9.2}"
REGISTRY_PORT="${INSTALL_PROOF_REGISTRY_PORT:-7108}"
export INSTALL_PROOF_PORT="${INSTALL_PROOF_PORT:-7107}"
export INSTALL_PROOF_REPO="$REPO"
export INSTALL_PROOF_TOKEN="install-proof-$(node -p 'require("node:crypto").randomBytes(16).toString("hex")')"
export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_PROGRESS_BARS=0 YARN_ENABLE_INLINE_BUILDS=0
BACKEND_URL="http://localhost:$INSTALL_PROOF_PORT"

START=$SECONDS
TIMINGS=()
log() { printf '\n=== install-proof: %s\n' "$*"; }

# step NAME COMMAND...: runs one step, records its time; the script stops at the first failure (set -e).
step() {
  local name="$1" t0=$SECONDS
  shift
  log "$name"
  "$@"
  TIMINGS+=("$(printf '%5ss  %s' $((SECONDS - t0)) "$name")")
  log "$name: done in $((SECONDS - t0)) s"
}

REGISTRY_PID=""
BACKEND_PID=""
cleanup() {
  local status=$?
  # Only what this script started: the registry and the backend's own process group.
  [ -n "$BACKEND_PID" ] && kill -- "-$BACKEND_PID" 2>/dev/null || true
  [ -n "$REGISTRY_PID" ] && kill "$REGISTRY_PID" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    log "FAILED after $((SECONDS - START)) s; work directory kept: $WORK"
    [ -f "$WORK/backend.log" ] && { log "backend log (last 60 lines)"; tail -n 60 "$WORK/backend.log"; }
  elif [ "${INSTALL_PROOF_KEEP:-0}" != 1 ] && [ -z "${INSTALL_PROOF_WORK:-}" ]; then
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT

port_free() {
  if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "install-proof: port $1 is taken; set INSTALL_PROOF_PORT / INSTALL_PROOF_REGISTRY_PORT to free ports" >&2
    return 1
  fi
}

preflight() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  case "$major" in
    22 | 24) ;;
    *) echo "install-proof: Node 22 or 24 needed (create-app and Backstage 1.57 refuse Node $major)" >&2; return 1 ;;
  esac
  port_free "$INSTALL_PROOF_PORT"
  port_free "$REGISTRY_PORT"
  mkdir -p "$WORK"
  echo "node $(node --version), work directory $WORK, backend :$INSTALL_PROOF_PORT, registry :$REGISTRY_PORT"
}

pack_plugins() {
  (cd "$REPO" && node scripts/pack-plugins.js --out "$WORK/tarballs") | tee "$WORK/tarballs.txt"
  [ -s "$WORK/tarballs.txt" ]
}

start_registry() {
  node "$HERE/registry.js" --port "$REGISTRY_PORT" --tarballs "$WORK/tarballs" 2>"$WORK/registry.log" &
  REGISTRY_PID=$!
  for _ in $(seq 1 50); do
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
      "http://127.0.0.1:$REGISTRY_PORT/-/ping" && { head -n 1 "$WORK/registry.log"; return 0; }
    kill -0 "$REGISTRY_PID" 2>/dev/null || { cat "$WORK/registry.log"; return 1; }
    sleep 0.2
  done
  echo "install-proof: the registry did not answer" >&2
  return 1
}

# create-app wants a `yarn` on PATH even with --skip-install; Yarn 1 from the npm registry then hands every command
# in the app to the app's own Yarn 4 (its .yarnrc.yml yarnPath), as on an adopter's machine with corepack.
install_yarn() {
  npm install --no-audit --no-fund --no-save --prefix "$WORK/tools" yarn@1 >/dev/null
  export PATH="$WORK/tools/node_modules/.bin:$PATH"
  echo "yarn $(yarn --version) (launcher)"
}

create_app() {
  (cd "$WORK" && echo myapp | npx -y "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path "$APP")
  # This machine's registries: yarnpkg.com (Yarn's default) is unreachable, so registry.npmjs.org; our scope from
  # the local registry, as an adopter's would come from npmjs.
  cat >>"$APP/.yarnrc.yml" <<EOF

# install proof: registries of this machine
npmRegistryServer: "https://registry.npmjs.org"
npmScopes:
  open-amt-backstage:
    npmRegistryServer: "http://127.0.0.1:$REGISTRY_PORT"
unsafeHttpWhitelist:
  - "127.0.0.1"
EOF
  (cd "$APP" && echo "app's Yarn: $(yarn --version), Backstage $(node -p 'require("./backstage.json").version') as generated")
}

bump_backstage() {
  (cd "$APP" && yarn up '@backstage/*' >"$WORK/yarn-up.log" 2>&1) || { tail -n 40 "$WORK/yarn-up.log"; return 1; }
  grep -E 'YN0000: · Done' "$WORK/yarn-up.log" || true
  (cd "$APP" && node -p '["@backstage/plugin-catalog-react","@backstage/frontend-plugin-api","@backstage/backend-plugin-api"].map(n => n + "@" + require(require.resolve(n + "/package.json", {paths: ["packages/app", "packages/backend"]})).version).join(", ")')
}

apply_readme() {
  # Yarn's global cache keys a package by name and version only: a 0.1.0 packed from other sources by an earlier run
  # on this machine would be installed instead of this run's tarball. Forget our scope's cached packages and metadata.
  local global="${YARN_GLOBAL_FOLDER:-$HOME/.yarn/berry}"
  rm -f "$global"/cache/@open-amt-backstage-*.zip
  find "$global/metadata" -name '@open-amt-backstage-*' -delete 2>/dev/null || true
  node "$HERE/apply-readme.js" --readme "$REPO/README.md" --app "$APP"
  cp "$HERE/app-config.proof.yaml" "$APP/app-config.proof.yaml"
  # One copy of each package whose React contexts and API refs the app and our plugin share (a second
  # catalog-react loses the entity on the page): the Backstage release is new enough.
  local pkg versions
  for pkg in plugin-catalog-react frontend-plugin-api core-plugin-api; do
    versions="$(grep -oE "resolution: \"@backstage/$pkg@npm:[^\"]+\"" "$APP/yarn.lock" | sort -u | sed -E 's/.*npm:([^"]+)"/\1/')"
    if [ "$(printf '%s\n' "$versions" | grep -c .)" -ne 1 ]; then
      echo "install-proof: the app resolves @backstage/$pkg to several versions: $(echo $versions)" >&2
      return 1
    fi
    echo "one @backstage/$pkg: $versions"
  done
  (cd "$APP" && git --no-pager diff --stat -- packages)
}

build_app_and_backend() {
  (cd "$APP" && yarn tsc)
  (cd "$APP" && yarn build:backend)
  [ -f "$APP/packages/app/dist/index.html" ] || (cd "$APP" && yarn workspace app build)
}

# The app's bundle holds the plugin: its id, its card's test ids and its perf mark are string literals that survive
# minification (extension ids are composed at run time, so the browser step checks the card itself).
check_bundle() {
  local dist="$APP/packages/app/dist/static" needle
  for needle in 'pluginId:"open-amt"' 'component-row-' 'deployment-summary' 'provider-picker'; do
    if ! grep -rlF -- "$needle" "$dist" >/dev/null; then
      echo "install-proof: the app's bundle ($dist) lacks $needle" >&2
      return 1
    fi
    echo "bundle holds $needle"
  done
}

start_backend() {
  # Its own session, so cleanup ends yarn, backstage-cli and the backend together; the leader writes its id (= the group's).
  (cd "$APP/packages/backend" && setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$WORK/backend.pid" \
    yarn start --config ../../app-config.yaml --config ../../app-config.proof.yaml) >"$WORK/backend.log" 2>&1 &
  for _ in $(seq 1 50); do [ -s "$WORK/backend.pid" ] && break; sleep 0.2; done
  BACKEND_PID="$(cat "$WORK/backend.pid")"
  node "$HERE/check-backend.js" --url "$BACKEND_URL" --template "$REPO/templates/open-amt-production/template.yaml"
  node "$HERE/check-backend.js" --url "$BACKEND_URL" --template "$REPO/templates/open-amt-upgrade/template.yaml"
  node "$HERE/check-backend.js" --url "$BACKEND_URL" --template "$REPO/templates/open-amt-rotate-secrets/template.yaml"
}

entity_page() {
  (cd "$REPO" && node -r sucrase/register "$HERE/entity-page.ts" --url "$BACKEND_URL" --screenshot "$WORK/entity-page.png")
}

step "preflight" preflight
step "build and pack the plugins" pack_plugins
step "local registry with the tarballs" start_registry
step "yarn launcher" install_yarn
step "fresh app from @backstage/create-app@$CREATE_APP_VERSION" create_app
step "bump the app to the newest Backstage release" bump_backstage
step "apply the README's install section" apply_readme
step "type-check and build the app and the backend" build_app_and_backend
step "the app's bundle holds the plugin" check_bundle
step "start the backend; Open AMT API, scaffolder actions, template" start_backend
step "entity page in chromium: the health card renders" entity_page

log "passed in $((SECONDS - START)) s"
printf '%s\n' "${TIMINGS[@]}"
