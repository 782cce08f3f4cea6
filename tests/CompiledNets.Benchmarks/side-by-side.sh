#!/usr/bin/env bash
# CompiledNets against its PyTorch twins on this machine: the seed network (batch 32), LeNet-5 (batch 32) and
# the TensorFlow tutorial convnet (batch 64), one epoch of the full Fashion-MNIST training set (60,000 images)
# each, Adam (epsilon 1e-7), the same initial weights and the same number of threads, run alternately for
# several rounds; prints the medians and their ratios.
# Installs what is missing (Debian: python3-torch, libopenblas0-openmp — without it Debian's torch uses the
# reference BLAS and runs 1.5x slower, which would flatter us — and dataset-fashion-mnist).
# Usage: tests/CompiledNets.Benchmarks/side-by-side.sh [ROUNDS] [THREADS] [NETWORKS...]   (default: seed lenet5 tutorial)
set -euo pipefail
cd "$(dirname "$0")"
source ./side-by-side-common.sh
rounds=${1:-3}
threads=${2:-$(nproc)}
networks=("${@:3}")
[ ${#networks[@]} -gt 0 ] || networks=(seed lenet5 tutorial)
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}

need=()
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-openmp >/dev/null 2>&1 || need+=(libopenblas0-openmp)
[ -f "$data/train-images-idx3-ubyte.gz" ] || need+=(dataset-fashion-mnist)
install_missing ${need[@]+"${need[@]}"}

dotnet build -c Release --nologo -v quiet >/dev/null
dll=bin/Release/net10.0/CompiledNets.Benchmarks.dll
images="$data/train-images-idx3-ubyte.gz" labels="$data/train-labels-idx1-ubyte.gz"
initial=$(mktemp)
trap 'rm -f "$initial"' EXIT
summary=()
for network in "${networks[@]}"; do
  batch=$([ "$network" = tutorial ] && echo 64 || echo 32)
  dotnet "$dll" --epoch "$images" "$labels" "$threads" --network "$network" --batch "$batch" --save-initial "$initial" >/dev/null
  ours=() theirs=()
  for round in $(seq "$rounds"); do
    line=$(dotnet "$dll" --epoch "$images" "$labels" "$threads" --network "$network" --batch "$batch"); echo "$network, round $round: $line"; ours+=("$(echo "$line" | awk '{print $2}')")
    line=$(OMP_NUM_THREADS="$threads" /usr/bin/python3 side_by_side_twin.py "$images" "$labels" "$threads" "$initial" "$network" "$batch"); echo "$network, round $round: $line"; theirs+=("$(echo "$line" | awk '{print $2}')")
  done
  m_ours=$(median "${ours[@]}") m_theirs=$(median "${theirs[@]}")
  summary+=("$(awk -v n="$network" -v bs="$batch" -v a="$m_ours" -v b="$m_theirs" 'BEGIN {printf "  %-9s batch %2d  CompiledNets %8.2f s  PyTorch %8.2f s  %5.1fx", n, bs, a, b, b / a}')")
done

echo
echo "machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $threads thread(s), $(date -u +%Y-%m-%d)"
echo "one 60,000-image epoch, median of $rounds; PyTorch $(/usr/bin/python3 -c "import torch; print(torch.__version__)"); ratio = PyTorch / CompiledNets:"
printf '%s\n' "${summary[@]}"
