#!/usr/bin/env bash
# The device check (issue 16), one entry: runs on the lent GPU machine from the repository
# root with .gpucarry and .gl carried (bench/gpu/prepare.sh makes them). Unpacks the Vulkan
# loader and Node, runs the LeNet, MLP and ResNet-20-style training steps on onnxruntime's
# WebGPU provider and on its CPU provider with every core, then the same models in PyTorch fp32
# on CUDA, and prints one table (also written to $OUT/table.md when OUT is set).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/layerloom-gpu-out}
mkdir -p "$out"
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$nv" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nv __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
work=/tmp/layerloom-gpu && rm -rf "$work" && mkdir -p "$work"
xz -dc .gpucarry/node.xz > "$work/node" && chmod +x "$work/node"
tar -C "$work" -xJf .gpucarry/ort.tar.xz
cp .gpucarry/steps.mjs "$work/"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | tee "$out/gpu.txt"
(cd "$work" && timeout 300 ./node steps.mjs) | tee "$out/layerloom.jsonl"
PYTHONUNBUFFERED=1 timeout 200 "${PYTHON:-python3}" bench/gpu/torch_gpu.py | tee "$out/torch.jsonl"
"${PYTHON:-python3}" bench/gpu/table.py "$out/layerloom.jsonl" "$out/torch.jsonl" | tee "$out/table.md"
