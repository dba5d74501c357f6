#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, and spark.driver.resource.gpu.discoveryScript):
# prints this machine's NVIDIA GPUs as Spark's ResourceInformation JSON, the format of Spark's examples/src/main/scripts/
# getGpusResources.sh:   {"name":"gpu","addresses":["0","1"]}
# Addresses are nvidia-smi's device indices, which GpuBinding hands to ND4J (AffinityManager.unsafeSetDevice).
# Without nvidia-smi, or when it fails, it exits 1 with the reason on stderr, so Spark reports a failed discovery
# instead of an executor that silently has no GPU. NVIDIA_SMI overrides the command (tests use a stand-in).
set -euo pipefail
smi="${NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$smi" >/dev/null 2>&1; then
  echo "gpu-discovery.sh: '$smi' not found: no NVIDIA driver on this host (install it, or do not request spark.*.resource.gpu)" >&2
  exit 1
fi
if ! out=$("$smi" --query-gpu=index --format=csv,noheader 2>&1); then
  echo "gpu-discovery.sh: '$smi --query-gpu=index --format=csv,noheader' failed: $out" >&2
  exit 1
fi
addresses=""
while IFS= read -r line; do
  index="${line//[[:space:]]/}"
  [ -z "$index" ] && continue
  if ! [[ "$index" =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery.sh: '$smi' reported '$line' where a GPU index (a non-negative integer) was expected" >&2
    exit 1
  fi
  addresses="${addresses:+$addresses,}\"$index\""
done <<< "$out"
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
