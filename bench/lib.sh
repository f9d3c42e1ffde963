# Shared by the seed scripts (bench/ablation.sh, fcs.sh, fusion.sh, srgan.sh); source it.
# train_missing BIN RUN...: trains each RUN (an ablation name, presets/training/ablation/RUN.toml,
# or a path to any training .toml) whose output (the config's `output`) does not exist yet, in
# order (a later run may start from an earlier one's weights), continuing from a checkpoint a cut
# run left, logging the time each took.
train_missing() {
  local bin=$1 r cfg out start
  shift
  mkdir -p models
  for r in "$@"; do
    case $r in *.toml) cfg=$r ;; *) cfg="presets/training/ablation/$r.toml" ;; esac
    out=$(sed -n 's/^output = "\(.*\)"$/\1/p' "$cfg")
    [ -n "$out" ] && [ -f "$out" ] && continue
    start=$(date +%s)
    "$bin" train "$cfg" --resume --log-every 250 >&2
    echo "$r: trained in $(( $(date +%s) - start )) s" >&2
  done
}
