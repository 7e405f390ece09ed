// The one place that decides the vector type. xsimd picks the widest instruction set the
// compiler was told about: AVX-512 or AVX2 natively (-march=native), and SSE4.1 in the
// WebAssembly build, where Emscripten lowers SSE intrinsics to SIMD128 (`-msimd128 -msse4.1`;
// xsimd 8.1 has no wasm architecture of its own).
#pragma once
#include <xsimd/xsimd.hpp>

namespace dt::simd {

using f32 = xsimd::batch<float>;
constexpr int kWidth = static_cast<int>(f32::size);

inline f32 load(const float* p) { return f32::load_unaligned(p); }
inline void store(float* p, const f32& v) { v.store_unaligned(p); }
inline f32 splat(float x) { return f32(x); }

}  // namespace dt::simd
