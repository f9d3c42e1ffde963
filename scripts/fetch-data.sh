#!/usr/bin/env bash
# Training and validation photos from Debian packages (apt-get download + dpkg -x; nothing is
# committed). Usage: scripts/fetch-data.sh UPSCALE_BIN [DATA_DIR]
#   DATA_DIR/train  35 images: plasma-workspace-wallpapers (17), mate-backgrounds nature (11),
#                   ukui-wallpapers (5) and gnome-backgrounds' wood photos (2), shrunk by 2 (by 4 when
#                   5120 wide) with antialiased bicubic (removes JPEG blocking)
#   DATA_DIR/val    12 images never trained on: libjxl-testdata's lossless flower.png, plasma
#                   OneStandsOut, Altai, Cascade, IceCold, MilkyWay, SafeLanding, mate Dune and
#                   Elephants, ukui desert, the-mouse and goldfish, shrunk the same way
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
  "ukui-wallpapers 20.04.3-1.1 6d49be70152e6d603163458e177e501deb0be8f2916389ccbfcf59b0d7fc0262"
  "gnome-backgrounds 43.1-1 a670dea21572652127d6e55f9cdb3a226d0037854fdbfd037003c7d00ee0dc4e"
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
U="$X/ukui-wallpapers/usr/share/backgrounds"
G="$X/gnome-backgrounds/usr/share/backgrounds/gnome"
A="$X/mate-backgrounds/usr/share/backgrounds/mate/abstract"
big() { ls "$W/$1/contents/images/"5120x2880.* 2>/dev/null | head -1; }
TRAIN=() BIG_TRAIN=() VAL=() BIG_VAL=()
for p in FallenLeaf Path DarkestHour Autumn summer_1am EveningGlow Grey ColorfulCups Kite ColdRipple BytheWater; do
  TRAIN+=("$W/$p/contents/images/2560x1600.jpg")
done
for p in Canopee Kokkini Opal; do TRAIN+=("$W/$p/contents/images/3840x2160.png"); done
TRAIN+=("$W/Elarun/contents/images/2560x1600.png")
for p in Patak Shell; do BIG_TRAIN+=("$(big $p)"); done
for p in Aqua Blinds FreshFlower Garden GreenMeadow LadyBird RainDrops Storm TwoWings Wood YellowFlower; do TRAIN+=("$M/$p.jpg"); done
for p in calla.png city.png string.jpg rhythm.jpg firstgeneration.jpg; do TRAIN+=("$U/$p"); done
TRAIN+=("$G/wood-l.webp" "$G/wood-d.webp")
VAL=("$J/flower.png" "$W/OneStandsOut/contents/images/2560x1600.jpg" "$W/Cascade/contents/images/3840x2160.png" "$M/Dune.jpg"
     "$A/Elephants.jpg" "$U/desert.png" "$U/the-mouse.jpg" "$U/goldfish.png")
for p in Altai IceCold MilkyWay SafeLanding; do BIG_VAL+=("$(big $p)"); done

# Output names are the stems; the plasma ones are all "<size>", so link them under their names first.
L="$DATA/named"; mkdir -p "$L"
named() { local src=$1; local n; n=$(echo "$src" | sed -E 's#.*/wallpapers/([^/]+)/contents/images/.*#\1#; t; s#.*/##; s#\.[a-z]+$##'); ln -sf "$(realpath "$src")" "$L/$n.${src##*.}"; echo "$L/$n.${src##*.}"; }
T=(); for f in "${TRAIN[@]}"; do T+=("$(named "$f")"); done
BT=(); for f in "${BIG_TRAIN[@]}"; do BT+=("$(named "$f")"); done
V=(); for f in "${VAL[@]}"; do V+=("$(named "$f")"); done
BV=(); for f in "${BIG_VAL[@]}"; do BV+=("$(named "$f")"); done
"$BIN" prepare -q --shrink 2 -o "$DATA/train" "${T[@]}"
"$BIN" prepare -q --shrink 4 -o "$DATA/train" "${BT[@]}"
"$BIN" prepare -q --shrink 2 -o "$DATA/val" "${V[@]}"
"$BIN" prepare -q --shrink 4 -o "$DATA/val" "${BV[@]}"
echo "fetch-data: $(ls "$DATA/train" | wc -l) training and $(ls "$DATA/val" | wc -l) validation images in $DATA/"
