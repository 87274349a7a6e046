#!/usr/bin/env bash
# Prepares what the device check carries (run here, from anywhere in the checkout; needs the
# npm install and Debian's apt): the GPU machine has Python and PyTorch with CUDA but no Node,
# no npm packages and no network. Writes two git-ignored folders at the repository root:
#   .gpucarry/  node.xz (this machine's Node binary), ort.tar.xz (onnxruntime-node for
#               linux-x64 only, with onnxruntime-common), steps.mjs (bench/gpu/steps.ts bundled)
#   .gl/        the Vulkan loader packages (libvulkan1 and friends), as the device README says
# Then: device run with carry [".gpucarry", ".gl"] and command `bash bench/gpu/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
grep -qx '/.gpucarry/' .git/info/exclude 2>/dev/null || echo '/.gpucarry/' >> .git/info/exclude
grep -qx '/.gl/' .git/info/exclude 2>/dev/null || echo '/.gl/' >> .git/info/exclude
out=.gpucarry
rm -rf "$out" && mkdir -p "$out"

# One ESM file; onnxruntime-node stays outside (native binary), everything else is bundled.
npx esbuild bench/gpu/steps.ts --bundle --platform=node --format=esm --target=node20 \
  --external:onnxruntime-node --outfile="$out/steps.mjs" --log-level=warning \
  --banner:js="import { createRequire as __layerloomRequire } from 'node:module'; const require = __layerloomRequire(import.meta.url);"

# onnxruntime-node without the other platforms' binaries (288 MB -> ~45 MB -> ~13 MB xz).
stage=$(mktemp -d)
mkdir -p "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux"
cp -r node_modules/onnxruntime-common "$stage/node_modules/"
(cd node_modules/onnxruntime-node && cp -r package.json dist "$stage/node_modules/onnxruntime-node/")
[ -d node_modules/onnxruntime-node/lib ] && cp -r node_modules/onnxruntime-node/lib "$stage/node_modules/onnxruntime-node/"
cp -r node_modules/onnxruntime-node/bin/napi-v6/linux/x64 "$stage/node_modules/onnxruntime-node/bin/napi-v6/linux/"
tar -C "$stage" -cJf "$out/ort.tar.xz" node_modules
rm -rf "$stage"

xz -T2 -6 -c "$(command -v node)" > "$out/node.xz"

# The Vulkan loader and GL dispatch packages (amd64), unpacked over / on the device.
mkdir -p .gl /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >/dev/null)
du -sh "$out" .gl
