#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs them.
# The README's test command and .ci/run both run exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m ruff check .
python3 -m pytest "$@"
