#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, starts a real
# Neo4j 5.26 test server (built by Maven from tests/neo4j_server, jars cached in ~/.m2),
# runs ruff, mypy and pytest, and stops the server. The README's test command and .ci/run
# both run exactly this script. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m ruff check .
python3 -m mypy chainmap  # the level and the overrides: [tool.mypy] in pyproject.toml

server=tests/neo4j_server/neo4j-test-server.sh
if [ -z "${NEO4J_URI:-}" ] && status=$(bash "$server" status 2>/dev/null) \
   && [ "${status%% *}" = running ]; then
  export NEO4J_URI="bolt://127.0.0.1:${status##*port=}"  # a test server left running
elif [ -z "${NEO4J_URI:-}" ]; then
  # a free port on loopback, unless one is given (another server may hold 7687)
  port="${CHAINMAP_TEST_NEO4J_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
  if out=$(bash "$server" start "$port"); then
    export "${out?}"  # NEO4J_URI=bolt://127.0.0.1:PORT
    trap 'bash "$server" stop >/dev/null 2>&1 || true' EXIT
  else
    echo "scripts/test.sh: no Neo4j test server (see above); Neo4j tests will skip" \
         "(and fail under CI)" >&2
  fi
fi

# headless Chromium for tests/test_viz_browser.py (the chain map in a real browser)
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
    >/dev/null 2>&1 || echo "scripts/test.sh: could not install chromium; browser tests" \
                             "will skip (and fail under CI)" >&2
fi

# a font with Chinese glyphs for chainmap.charts (tests/test_charts.py, the notebooks):
# WenQuanYi Micro Hei from Debian (fonts-wqy-microhei, ~5 MB), only when none is there
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
   && [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
   && ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }; then
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei \
    || { apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei; }; } \
    >/dev/null 2>&1 || echo "scripts/test.sh: could not install fonts-wqy-microhei; chart" \
                             "tests will skip (and fail under CI)" >&2
fi

# two workers (CHAINMAP_TEST_WORKERS to change; 0 runs in one process): the Neo4j tests
# all in one of them, one after another (tests/conftest.py groups them)
python3 -m pytest -n "${CHAINMAP_TEST_WORKERS:-2}" --dist loadgroup "$@"
