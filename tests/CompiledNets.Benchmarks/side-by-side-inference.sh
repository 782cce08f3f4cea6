#!/usr/bin/env bash
# CompiledNets' Predict (one image) and PredictBatch (256 images) against ONNX Runtime's CPU provider on this
# machine, for the seed network, LeNet-5 and the TensorFlow tutorial convnet: each network's PyTorch twin, with
# CompiledNets' initial weights, is exported to ONNX (softmax included) and checked to give the same
# probabilities, then the two run alternately, one process each, for several rounds; prints medians and ratios.
# One image runs on one thread on both sides; the batch on THREADS (CompiledNets' workers, ONNX Runtime's
# intra-op threads). Installs what is missing (Debian: python3-torch for the export, dataset-fashion-mnist for
# real images); ONNX Runtime comes from NuGet (Microsoft.ML.OnnxRuntime, in tests/CompiledNets.OnnxComparison).
# Usage: tests/CompiledNets.Benchmarks/side-by-side-inference.sh [ROUNDS] [THREADS] [NETWORKS...]   (default: seed lenet5 tutorial)
set -euo pipefail
cd "$(dirname "$0")"
source ./side-by-side-common.sh
rounds=${1:-5}
threads=${2:-$(nproc)}
networks=("${@:3}")
[ ${#networks[@]} -gt 0 ] || networks=(seed lenet5 tutorial)
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}

need=()
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
[ -f "$data/train-images-idx3-ubyte.gz" ] || need+=(dataset-fashion-mnist)
install_missing ${need[@]+"${need[@]}"}

project=../CompiledNets.OnnxComparison
dotnet build "$project" -c Release --nologo -v quiet >/dev/null
dll=$project/bin/Release/net10.0/CompiledNets.OnnxComparison.dll
images="$data/train-images-idx3-ubyte.gz" labels="$data/train-labels-idx1-ubyte.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=()
for network in "${networks[@]}"; do
  dotnet "$dll" save-initial "$network" "$work/$network.initial"
  /usr/bin/python3 side_by_side_twin.py --export-onnx "$work/$network.initial" "$network" "$work/$network.onnx"
  our_single=() our_batch=() their_single=() their_batch=()
  for round in $(seq "$rounds"); do
    # Each line: SIDE <µs per image> us <ms per batch of 256> ms
    line=$(dotnet "$dll" compilednets "$network" "$threads" "$images" "$labels"); echo "$network, round $round: $line"
    our_single+=("$(echo "$line" | awk '{print $2}')") our_batch+=("$(echo "$line" | awk '{print $4}')")
    line=$(dotnet "$dll" onnxruntime "$network" "$threads" "$images" "$labels" "$work/$network.onnx"); echo "$network, round $round: $line"
    their_single+=("$(echo "$line" | awk '{print $2}')") their_batch+=("$(echo "$line" | awk '{print $4}')")
  done
  summary+=("$(awk -v n="$network" -v a="$(median "${our_single[@]}")" -v b="$(median "${their_single[@]}")" \
    -v c="$(median "${our_batch[@]}")" -v d="$(median "${their_batch[@]}")" \
    'BEGIN {printf "  %-9s Predict %7.2f us vs %7.2f us  %4.1fx   PredictBatch(256) %7.3f ms vs %7.3f ms  %4.1fx", n, a, b, b / a, c, d, d / c}')")
done

echo
echo "machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), batch on $threads thread(s), $(date -u +%Y-%m-%d)"
echo "median of $rounds; CompiledNets vs ONNX Runtime $(basename "$(ls -d ~/.nuget/packages/microsoft.ml.onnxruntime/*/ | tail -1)"); ratio = ONNX Runtime / CompiledNets:"
printf '%s\n' "${summary[@]}"
