#!/usr/bin/env bash
# Training and validation photos from Debian packages (apt-get download + dpkg -x; nothing is
# committed). Usage: scripts/fetch-data.sh UPSCALE_BIN [DATA_DIR]
#   DATA_DIR/train  21 photos: plasma-workspace-wallpapers (10 at 2560x1600) and mate-backgrounds
#                   nature (11), shrunk by 2 with antialiased bicubic (removes JPEG blocking)
#   DATA_DIR/val    3 images never trained on: libjxl-testdata's lossless flower.png and two
#                   detailed photos set aside (plasma OneStandsOut, mate Dune), shrunk the same way
set -euo pipefail
BIN=${1:?usage: fetch-data.sh UPSCALE_BIN [DATA_DIR]}
DATA=${2:-data}
DEBS="$DATA/debs"; X="$DATA/extract"
mkdir -p "$DEBS" "$X"

# package version sha256 (bookworm)
PKGS=(
  "plasma-workspace-wallpapers 4:5.27.5-2 32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b"
  "mate-backgrounds 1.26.0-1 7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04"
  "libjxl-testdata 0.0~git20230110.d6168ff-1 a58523413f486760a0f3cbc931142a27e3aa25f77315b862046f089ed34aa2c7"
)
for entry in "${PKGS[@]}"; do
  read -r name version sum <<<"$entry"
  deb=$(ls "$DEBS"/"${name}"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    (cd "$DEBS" && apt-get download -q "$name=$version" 2>/dev/null || apt-get download -q "$name")
    deb=$(ls "$DEBS"/"${name}"_*.deb | head -1)
  fi
  got=$(sha256sum "$deb" | cut -d' ' -f1)
  if [ "$got" != "$sum" ]; then
    echo "fetch-data: $deb has sha256 $got, expected $sum (a different package version?)" >&2
    exit 1
  fi
  [ -d "$X/$name" ] || { mkdir -p "$X/$name.tmp" && dpkg -x "$deb" "$X/$name.tmp" && mv "$X/$name.tmp" "$X/$name"; }
done

W="$X/plasma-workspace-wallpapers/usr/share/wallpapers"
M="$X/mate-backgrounds/usr/share/backgrounds/mate/nature"
J="$X/libjxl-testdata/usr/share/libjxl-testdata/jxl/flower"
TRAIN=() VAL=()
for p in FallenLeaf Path DarkestHour Autumn summer_1am EveningGlow Grey ColorfulCups Kite ColdRipple; do
  TRAIN+=("$W/$p/contents/images/2560x1600.jpg")
done
for p in Aqua Blinds FreshFlower Garden GreenMeadow LadyBird RainDrops Storm TwoWings Wood YellowFlower; do TRAIN+=("$M/$p.jpg"); done
VAL=("$J/flower.png" "$W/OneStandsOut/contents/images/2560x1600.jpg" "$M/Dune.jpg")

# Output names are the stems; the plasma ones are all "2560x1600", so link them under their names first.
L="$DATA/named"; mkdir -p "$L"
named() { local src=$1; local n; n=$(echo "$src" | sed -E 's#.*/wallpapers/([^/]+)/contents/images/.*#\1#; t; s#.*/##; s#\.[a-z]+$##'); ln -sf "$(realpath "$src")" "$L/$n.${src##*.}"; echo "$L/$n.${src##*.}"; }
T=(); for f in "${TRAIN[@]}"; do T+=("$(named "$f")"); done
V=(); for f in "${VAL[@]}"; do V+=("$(named "$f")"); done
"$BIN" prepare -q --shrink 2 -o "$DATA/train" "${T[@]}"
"$BIN" prepare -q --shrink 2 -o "$DATA/val" "${V[@]}"
echo "fetch-data: $(ls "$DATA/train" | wc -l) training and $(ls "$DATA/val" | wc -l) validation images in $DATA/"
