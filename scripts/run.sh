#!/usr/bin/env bash
# The README's run command: PAM on one machine, on the embedded default.
# Until `pam serve` and the web UI land (issue 6), "running PAM" is the labelling
# journey on the command line: convert the on-device model if needed, build `pam`,
# import photos (the arguments, or Debian's sample photos when none are given) into
# the data directory (PAM_DATA_DIR, default ./pam-data), and print the label table.
set -euo pipefail
cd "$(dirname "$0")/.."
export PAM_DATA_DIR="${PAM_DATA_DIR:-$PWD/pam-data}"

scripts/fetch-model.sh
cargo build --release -p pam
pam=target/release/pam

if [ $# -eq 0 ]; then
  scripts/fetch-photos.sh
  set -- .cache/photos
fi
"$pam" import "$@"
"$pam" labels
echo "data directory: $PAM_DATA_DIR (pam photos --json lists every photo with its labels)"
