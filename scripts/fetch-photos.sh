#!/usr/bin/env bash
# Why: tests and `pam bench labelling` need real photographs. Debian ships some in
# packages; we download those packages and unpack only their JPEGs into
# .cache/photos/<package>/... — nothing is installed on the machine.
# Idempotent: a package whose folder already holds JPEGs is skipped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.cache/photos"
debs="$root/.cache/debs"
mkdir -p "$dest" "$debs"

# package -> the folder inside the package whose JPEGs we keep
declare -A wanted=(
  [mate-backgrounds]="usr/share/backgrounds/mate/nature"
  [palapeli-data]="usr/share/palapeli/collection"
  [scratch]="usr/share/scratch/Media/Backgrounds"
)

download() { # $1 = package; leaves exactly one matching .deb in $debs
  local pkg="$1"
  if compgen -G "$debs/${pkg}_*.deb" > /dev/null; then return 0; fi
  if ! (cd "$debs" && apt-get download "$pkg"); then
    echo "fetch-photos: apt-get download $pkg failed; running apt-get update once" >&2
    apt-get update -qq
    (cd "$debs" && apt-get download "$pkg")
  fi
}

for pkg in "${!wanted[@]}"; do
  out="$dest/$pkg"
  if [ -d "$out" ] && [ -n "$(find "$out" -type f -iname '*.jp*g' -print -quit)" ]; then
    echo "fetch-photos: $pkg already present"
    continue
  fi
  download "$pkg"
  tmp="$(mktemp -d)"
  dpkg-deb -x "$(compgen -G "$debs/${pkg}_*.deb" | head -n1)" "$tmp"
  src="$tmp/${wanted[$pkg]}"
  if [ ! -d "$src" ]; then
    echo "fetch-photos: $pkg has no folder ${wanted[$pkg]}" >&2
    rm -rf "$tmp"; exit 1
  fi
  rm -rf "$out.partial"; mkdir -p "$out.partial"
  # Keep the package's folder structure below the wanted folder; JPEGs only.
  (cd "$src" && find . -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -print0 |
     xargs -0 -r cp --parents -t "$out.partial")
  rm -rf "$tmp"
  rm -rf "$out"; mv "$out.partial" "$out"   # publish atomically: a crash leaves no half folder
  echo "fetch-photos: $pkg -> $(find "$out" -type f | wc -l) JPEGs"
done
