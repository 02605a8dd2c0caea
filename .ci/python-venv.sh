#!/usr/bin/env bash
# Creates (or updates) the test-only Python environment: the independent references and clients the tests
# run against (TensorFlow/Keras for model parity, grpcio for a second gRPC client, ONNX Runtime's Python
# build). pip installs them from this machine's local wheel store; nothing here is needed to run the service.
# Prints the interpreter's path on its last line. Tests find it through XCEPTION_TEST_VENV (default below).
set -euo pipefail
venv="${XCEPTION_TEST_VENV:-$HOME/.cache/xception-classifier/venv}"
requirements="$(cd "$(dirname "$0")/.." && pwd)/src/test/python/requirements.txt"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$venv/bin/pip" install -q --retries 0 --timeout 5 -r "$requirements" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
