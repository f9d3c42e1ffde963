# Shared by the seed scripts (bench/ablation.sh, fcs.sh, fusion.sh, srgan.sh); source it.
# train_missing BIN RUN...: trains presets/training/ablation/RUN.toml for each RUN whose
# models/ablation-RUN.safetensors does not exist yet, in order (a later run may start from an
# earlier one's weights), continuing from a checkpoint a cut run left, logging the time each took.
train_missing() {
  local bin=$1 r start
  shift
  mkdir -p models
  for r in "$@"; do
    [ -f "models/ablation-$r.safetensors" ] && continue
    start=$(date +%s)
    "$bin" train "presets/training/ablation/$r.toml" --resume --log-every 250 >&2
    echo "$r: trained in $(( $(date +%s) - start )) s" >&2
  done
}
