// Deterministic random numbers. Every random choice in training (initialisation, shuffling,
// dropout masks, augmentation) derives from the run's seed through these, so the same seed
// gives the same run. Counter-based helpers (`mix`) let a sample's randomness depend only on
// (seed, epoch, sample index), not on which thread handles it.
#pragma once
#include <cmath>
#include <cstdint>

namespace dt {

// SplitMix64 finaliser: a good 64-bit hash, used to derive independent streams.
inline uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline uint64_t mix(uint64_t a, uint64_t b) { return mix(a ^ mix(b)); }
inline uint64_t mix(uint64_t a, uint64_t b, uint64_t c) { return mix(mix(a, b), c); }

// PCG32 (O'Neill): small state, fast, statistically solid.
class Rng {
 public:
  explicit Rng(uint64_t seed = 0x853c49e6748fea9bull) : state_(0), inc_((mix(seed) << 1u) | 1u) {
    next_u32();
    state_ += mix(seed ^ 0xda3e39cb94b95bdbull);
    next_u32();
  }
  uint32_t next_u32() {
    uint64_t old = state_;
    state_ = old * 6364136223846793005ull + inc_;
    uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = static_cast<uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
  }
  // Uniform in [0, 1).
  float uniform() { return (next_u32() >> 8) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n) without modulo bias (Lemire).
  uint32_t below(uint32_t n) {
    uint64_t m = uint64_t(next_u32()) * n;
    uint32_t l = static_cast<uint32_t>(m);
    if (l < n) {
      uint32_t t = (0u - n) % n;
      while (l < t) {
        m = uint64_t(next_u32()) * n;
        l = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }
  // Standard normal (Box-Muller; one value per call keeps the stream simple).
  float normal() {
    float u1 = uniform();
    float u2 = uniform();
    if (u1 < 1e-12f) u1 = 1e-12f;
    return std::sqrt(-2.0f * std::log(u1)) * std::cos(6.28318530718f * u2);
  }

 private:
  uint64_t state_;
  uint64_t inc_;
};

}  // namespace dt
