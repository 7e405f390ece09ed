// The one place that decides the vector type. xsimd picks the widest instruction set the
// compiler was told about: AVX-512 or AVX2 natively (-march=native), and SSE4.1 in the
// WebAssembly build, where Emscripten lowers SSE intrinsics to SIMD128 (`-msimd128 -msse4.1`;
// xsimd 8.1 has no wasm architecture of its own).
#pragma once
#include <xsimd/xsimd.hpp>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace dt::simd {

using f32 = xsimd::batch<float>;
constexpr int kWidth = static_cast<int>(f32::size);

inline f32 load(const float* p) { return f32::load_unaligned(p); }
inline void store(float* p, const f32& v) { v.store_unaligned(p); }
inline f32 splat(float x) { return f32(x); }

using mask = xsimd::batch_bool<float>;

// max(a, b) for ordinary numbers (which of the two a NaN yields is unspecified). Emscripten
// lowers SSE's max to a compare and a bit-select; SIMD128's pseudo-maximum is one maxps.
inline f32 max(const f32& a, const f32& b) {
#if defined(__wasm_simd128__)
  return f32(static_cast<f32::register_type>(wasm_f32x4_pmax(static_cast<v128_t>(static_cast<f32::register_type>(a)),
                                                             static_cast<v128_t>(static_cast<f32::register_type>(b)))));
#else
  return xsimd::max(a, b);
#endif
}

// v where m holds, 0 elsewhere. AVX-512 keeps masks in mask registers and blends; elsewhere a
// mask is a vector of all-ones lanes and one AND does it (xsimd's select becomes a blendv,
// which SIMD128 lacks and emulates with several instructions).
inline f32 where(const mask& m, const f32& v) {
#if defined(__AVX512F__)
  return xsimd::select(m, v, splat(0.0f));
#else
  return v & f32(static_cast<f32::register_type>(m));
#endif
}

}  // namespace dt::simd
