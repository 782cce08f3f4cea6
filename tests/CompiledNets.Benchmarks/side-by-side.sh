#!/usr/bin/env bash
# CompiledNets against its PyTorch twin on this machine: the seed network, one epoch of the full
# Fashion-MNIST training set (60,000 images), batch 32, Adam (epsilon 1e-7), the same initial weights and
# the same number of threads, run alternately for several rounds; prints the medians and their ratio.
# Installs what is missing (Debian: python3-torch, libopenblas0-openmp — without it Debian's torch uses the
# reference BLAS and runs 1.5x slower, which would flatter us — and dataset-fashion-mnist).
# Usage: tests/CompiledNets.Benchmarks/side-by-side.sh [ROUNDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
threads=${2:-$(nproc)}
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}

need=()
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-openmp >/dev/null 2>&1 || need+=(libopenblas0-openmp)
[ -f "$data/train-images-idx3-ubyte.gz" ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} ..."
  sudo_cmd=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build -c Release --nologo -v quiet >/dev/null
dll=bin/Release/net10.0/CompiledNets.Benchmarks.dll
images="$data/train-images-idx3-ubyte.gz" labels="$data/train-labels-idx1-ubyte.gz"
initial=$(mktemp)
trap 'rm -f "$initial"' EXIT
dotnet "$dll" --epoch "$images" "$labels" "$threads" --save-initial "$initial" >/dev/null

ours=() theirs=()
for round in $(seq "$rounds"); do
  line=$(dotnet "$dll" --epoch "$images" "$labels" "$threads"); echo "round $round: $line"; ours+=("$(echo "$line" | awk '{print $2}')")
  line=$(OMP_NUM_THREADS="$threads" /usr/bin/python3 side_by_side_twin.py "$images" "$labels" "$threads" "$initial"); echo "round $round: $line"; theirs+=("$(echo "$line" | awk '{print $2}')")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
m_ours=$(median "${ours[@]}") m_theirs=$(median "${theirs[@]}")
echo
echo "machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $threads thread(s), $(date -u +%Y-%m-%d)"
echo "seed network, one 60,000-image epoch, batch 32, median of $rounds:"
echo "  CompiledNets  $m_ours s"
echo "  PyTorch       $m_theirs s ($(/usr/bin/python3 -c "import torch; print(torch.__version__)"))"
awk -v a="$m_theirs" -v b="$m_ours" 'BEGIN {printf "  CompiledNets is %.1fx faster\n", a / b}'
