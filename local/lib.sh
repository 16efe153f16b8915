# Shared by local/run, local/test and .ci/run. Installs only into the project tree.

ensure_redis() {
  # Debian's redis-server: the rate limits' store, as Memorystore is in production. The stack and
  # the tests start their own on a free loopback port; this only makes sure the program is here.
  if command -v redis-server >/dev/null || [[ -x /usr/bin/redis-server ]]; then
    return
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing redis-server (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q redis-server >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null; }
  else
    echo "redis-server is needed: sudo apt-get install -y redis-server" >&2
    return 1
  fi
}

ensure_node_tools() {
  # firebase-tools (the Auth emulator), pinned by emulator-config/package-lock.json.
  local lock=emulator-config/package-lock.json stamp=emulator-config/node_modules/.cirrus-installed
  if [[ ! -f $stamp || $lock -nt $stamp ]]; then
    echo "Installing the Auth emulator (npm ci, first time only, ~2 min) ..."
    npm ci --prefix emulator-config --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
  # @google-cloud/storage, for the emulator's Node client conformance test; HashiCorp's HCL
  # parser, for InfraTest; the Firebase JS SDK and rules testing library, for FirebaseClientsTest.
  local node
  for node in local/storage-emulator/node local/infra-check local/runner/node; do
    if [[ ! -f $node/node_modules/.cirrus-installed || $node/package-lock.json -nt $node/node_modules/.cirrus-installed ]]; then
      npm ci --prefix "$node" --no-audit --no-fund --loglevel=error
      touch "$node/node_modules/.cirrus-installed"
    fi
  done
}

ensure_web_built() {
  # The web app (web/): its npm packages pinned by web/package-lock.json, then built into
  # web/dist when its sources or the API contract it compiles against are newer than the build.
  local stamp=web/node_modules/.cirrus-installed
  if [[ ! -f $stamp || web/package-lock.json -nt $stamp ]]; then
    echo "Installing the web app's packages (npm ci, first time only) ..."
    npm ci --prefix web --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
  if [[ ! -f web/dist/index.html ]] || [[ -n $(find web/src web/index.html web/scripts infra/openapi.yaml \
      -newer web/dist/index.html -print -quit) ]]; then
    echo "Building the web app (npm run build) ..."
    npm run --prefix web --silent build >/dev/null
  fi
}

ensure_chromium() {
  # Debian's chromium for the web app's browser tests (Playwright drives it; its own browser
  # download needs the internet).
  if [[ -x /usr/bin/chromium ]]; then
    return
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium (apt-get, first time only, ~1 min) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "chromium is needed for the web app's tests: sudo apt-get install -y chromium" >&2
    return 1
  fi
}

ensure_built() {
  local stamp=local/runner/target/.cirrus-built
  if [[ ! -f $stamp ]] || [[ -n $(find pom.xml shared functions local infra -newer "$stamp" \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' \) -not -path '*/target/*' -print -quit) ]]; then
    echo "Building (./mvnw install -DskipTests) ..."
    ./mvnw -q -B install -DskipTests -Dspotless.check.skip=true
    touch "$stamp"
  fi
}

runner_classpath() {
  echo "local/runner/target/classes:$(cat local/runner/target/runtime-classpath.txt)"
}
