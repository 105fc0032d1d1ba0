// Shared helpers for the kernel tests: random batches and a double-precision naive attention.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace ss_test {

struct DenseBatch {
  int q_heads = 0, kv_heads = 0, head_dim = 0;
  std::vector<int32_t> lens;
  std::vector<float> q;
  std::vector<std::vector<float>> k, v;  // per sequence [kv_heads][len][head_dim]
  std::vector<const float*> k_ptrs, v_ptrs;
};

inline DenseBatch make_batch(const std::vector<int32_t>& lens, int q_heads, int kv_heads, int head_dim,
                             uint32_t seed, float score_spread = 2.0f) {
  DenseBatch b;
  b.q_heads = q_heads;
  b.kv_heads = kv_heads;
  b.head_dim = head_dim;
  b.lens = lens;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  b.q.resize(lens.size() * q_heads * head_dim);
  for (float& x : b.q) x = score_spread * u(rng);
  for (int32_t len : lens) {
    std::vector<float> k(static_cast<size_t>(kv_heads) * len * head_dim), v(k.size());
    for (float& x : k) x = u(rng);
    for (float& x : v) x = u(rng);
    b.k.push_back(std::move(k));
    b.v.push_back(std::move(v));
  }
  for (size_t s = 0; s < lens.size(); ++s) {
    b.k_ptrs.push_back(b.k[s].data());
    b.v_ptrs.push_back(b.v[s].data());
  }
  return b;
}

// Textbook softmax attention in double precision.
inline std::vector<float> naive_attention(const DenseBatch& b) {
  const int group = b.q_heads / b.kv_heads;
  const size_t d = static_cast<size_t>(b.head_dim);
  std::vector<float> out(b.q.size(), 0.0f);
  for (size_t s = 0; s < b.lens.size(); ++s) {
    const int32_t len = b.lens[s];
    for (int h = 0; h < b.q_heads; ++h) {
      const float* q = b.q.data() + (s * b.q_heads + h) * d;
      const int kvh = h / group;
      std::vector<double> scores(static_cast<size_t>(len));
      double mx = -INFINITY;
      for (int32_t t = 0; t < len; ++t) {
        const float* k = b.k[s].data() + (static_cast<size_t>(kvh) * len + t) * d;
        double dot = 0;
        for (size_t i = 0; i < d; ++i) dot += static_cast<double>(q[i]) * k[i];
        scores[t] = dot / std::sqrt(static_cast<double>(d));
        mx = std::max(mx, scores[t]);
      }
      double sum = 0;
      std::vector<double> acc(d, 0.0);
      for (int32_t t = 0; t < len; ++t) {
        const double p = std::exp(scores[t] - mx);
        sum += p;
        const float* v = b.v[s].data() + (static_cast<size_t>(kvh) * len + t) * d;
        for (size_t i = 0; i < d; ++i) acc[i] += p * v[i];
      }
      for (size_t i = 0; i < d; ++i) out[(s * b.q_heads + h) * d + i] = len > 0 ? static_cast<float>(acc[i] / sum) : 0.0f;
    }
  }
  return out;
}

// max |a - b| / max |b|: a norm-wise relative error that is not blown up by outputs near zero.
inline double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::fabs(static_cast<double>(b[i])));
  }
  return scale > 0 ? diff / scale : diff;
}

}  // namespace ss_test
