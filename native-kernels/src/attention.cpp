#include "attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "simd.hpp"

namespace ss {

namespace {

constexpr int kBlock = 64;  // KV rows scored together before one rescale of the accumulators
constexpr int64_t kUnitsPerThread = 64;  // see auto_unit_tokens
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// First 64-byte boundary at or after p (p must have 15 spare floats after it).
inline float* align_line(float* p) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  return reinterpret_cast<float*>((a + 63) / 64 * 64);
}

// Longest run of KV rows starting at token t that is contiguous in memory (dense: the rest of the sequence;
// paged: the rest of the page).
inline int32_t kv_run(const DecodeBatch& b, int32_t s, int32_t h, int32_t t, const float** k, const float** v) {
  const size_t d = static_cast<size_t>(b.head_dim);
  const int32_t len = b.kv_lens[s];
  if (b.kv.block_tables != nullptr) {
    const int32_t ps = b.kv.page_size;
    const int32_t page = b.kv.block_tables[s][t / ps];
    const int32_t slot = t % ps;
    const size_t off = ((static_cast<size_t>(page) * b.kv_heads + h) * ps + slot) * d;
    *k = b.kv.k_pool + off;
    *v = b.kv.v_pool + off;
    return std::min(ps - slot, len - t);
  }
  const size_t off = (static_cast<size_t>(h) * len + t) * d;
  *k = b.kv.k_seq[s] + off;
  *v = b.kv.v_seq[s] + off;
  return len - t;
}

// Folds tokens [t0, t1) of (sequence s, kv head h) into partial.
void accumulate_range(const DecodeBatch& b, int32_t s, int32_t h, int32_t t0, int32_t t1, float* partial,
                      float* scores) {
  const int group = b.q_heads / b.kv_heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(b.head_dim));
  const float* q = b.q + (static_cast<size_t>(s) * b.q_heads + static_cast<size_t>(h) * group) * b.head_dim;
  int32_t t = t0;
  while (t < t1) {
    const float* k;
    const float* v;
    const int32_t run = std::min(kv_run(b, s, h, t, &k, &v), t1 - t);
    for (int32_t j = 0; j < run; j += kBlock) {
      const int n = std::min<int32_t>(kBlock, run - j);
      const size_t off = static_cast<size_t>(j) * b.head_dim;
      softmax::accumulate_block(partial, q, group, b.head_dim, scale, k + off, v + off, n, scores);
    }
    t += run;
  }
}

}  // namespace

namespace softmax {

void init(float* p, int group, int head_dim) {
  std::fill(p, p + group, kNegInf);
  std::fill(p + group, p + partial_floats(group, head_dim), 0.0f);
}

namespace {

// scores[g * n + j] = scale * (q_g . k_j) for the group's query heads against n consecutive K rows.
void score_block(const float* q, int group, size_t d, float scale, const float* k, const float* v, int n,
                 float* scores) {
  (void)v;  // only the AVX2 path prefetches
  int j = 0;
#if SS_SIMD_AVX2
  if (d % 8 == 0) {
    // Tiles of 2 heads x 4 rows: 8 independent FMA chains, 6 loads per 8 FMAs, each K row loaded once per
    // pair of heads; the 4 row sums of a head are reduced together.
    auto hsum4 = [](__m256 a, __m256 b, __m256 c, __m256 e) {
      const __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, e));
      return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
    };
    const __m128 vs = _mm_set1_ps(scale);
    for (; j + 4 <= n; j += 4) {
      const float* k0 = k + static_cast<size_t>(j) * d;
      const float* k1 = k0 + d;
      const float* k2 = k1 + d;
      const float* k3 = k2 + d;
      // The P.V pass right after reads these rows' V: start fetching them while the scores are computed.
      for (size_t c = 0; c < 4 * d; c += 16) {
        _mm_prefetch(reinterpret_cast<const char*>(v + static_cast<size_t>(j) * d + c), _MM_HINT_T0);
      }
      int g = 0;
      for (; g + 2 <= group; g += 2) {
        const float* qa = q + static_cast<size_t>(g) * d;
        const float* qb = qa + d;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (size_t c = 0; c < d; c += 8) {
          const __m256 x = _mm256_loadu_ps(qa + c), y = _mm256_loadu_ps(qb + c);
          const __m256 r0 = _mm256_loadu_ps(k0 + c), r1 = _mm256_loadu_ps(k1 + c);
          const __m256 r2 = _mm256_loadu_ps(k2 + c), r3 = _mm256_loadu_ps(k3 + c);
          a0 = _mm256_fmadd_ps(x, r0, a0);
          a1 = _mm256_fmadd_ps(x, r1, a1);
          a2 = _mm256_fmadd_ps(x, r2, a2);
          a3 = _mm256_fmadd_ps(x, r3, a3);
          b0 = _mm256_fmadd_ps(y, r0, b0);
          b1 = _mm256_fmadd_ps(y, r1, b1);
          b2 = _mm256_fmadd_ps(y, r2, b2);
          b3 = _mm256_fmadd_ps(y, r3, b3);
        }
        _mm_storeu_ps(scores + static_cast<size_t>(g) * n + j, _mm_mul_ps(hsum4(a0, a1, a2, a3), vs));
        _mm_storeu_ps(scores + static_cast<size_t>(g + 1) * n + j, _mm_mul_ps(hsum4(b0, b1, b2, b3), vs));
      }
      if (g < group) {
        const float* qa = q + static_cast<size_t>(g) * d;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t c = 0; c < d; c += 8) {
          const __m256 x = _mm256_loadu_ps(qa + c);
          a0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(k0 + c), a0);
          a1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(k1 + c), a1);
          a2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(k2 + c), a2);
          a3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(k3 + c), a3);
        }
        _mm_storeu_ps(scores + static_cast<size_t>(g) * n + j, _mm_mul_ps(hsum4(a0, a1, a2, a3), vs));
      }
    }
  }
#endif
  for (; j < n; ++j) {
    const float* kj = k + static_cast<size_t>(j) * d;
    for (int g = 0; g < group; ++g) {
      scores[static_cast<size_t>(g) * n + j] = simd::dot(q + static_cast<size_t>(g) * d, kj, d) * scale;
    }
  }
}

// acc[g][:] += sum_j p[g * n + j] * v_j
void weighted_sum_block(float* acc, int group, size_t d, const float* v, int n, const float* p,
                        const float* next_k) {
  (void)next_k;  // only the AVX2 path prefetches
#if SS_SIMD_AVX2
  if (d % 8 == 0) {
    // Accumulators stay in registers across the block (8 chains of 8 lanes), so V rows are the only memory
    // traffic in the inner loop instead of a load and a store of acc per row.
    for (int g = 0; g < group; ++g) {
      float* ag = acc + static_cast<size_t>(g) * d;
      const float* pg = p + static_cast<size_t>(g) * n;
      size_t c = 0;
      for (; c + 64 <= d; c += 64) {
        __m256 r[8];
        for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(ag + c + 8 * i);
        for (int j = 0; j < n; ++j) {
          if (g == 0) {
            // Rows after this block are usually the next block's K (contiguous runs); prefetch never faults.
            // Every 64-byte line of the 64 floats this pass covers (stepping by 32 floats skipped half of them).
            for (size_t o = 0; o < 64; o += 16) {
              _mm_prefetch(reinterpret_cast<const char*>(next_k + static_cast<size_t>(j) * d + c + o), _MM_HINT_T0);
            }
          }
          const __m256 w = _mm256_broadcast_ss(pg + j);
          const float* vj = v + static_cast<size_t>(j) * d + c;
          for (int i = 0; i < 8; ++i) r[i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(vj + 8 * i), r[i]);
        }
        for (int i = 0; i < 8; ++i) _mm256_storeu_ps(ag + c + 8 * i, r[i]);
      }
      for (; c < d; c += 8) {
        __m256 r0 = _mm256_loadu_ps(ag + c), r1 = _mm256_setzero_ps();
        int j = 0;
        for (; j + 2 <= n; j += 2) {
          r0 = _mm256_fmadd_ps(_mm256_broadcast_ss(pg + j), _mm256_loadu_ps(v + static_cast<size_t>(j) * d + c), r0);
          r1 = _mm256_fmadd_ps(_mm256_broadcast_ss(pg + j + 1),
                               _mm256_loadu_ps(v + static_cast<size_t>(j + 1) * d + c), r1);
        }
        if (j < n) {
          r0 = _mm256_fmadd_ps(_mm256_broadcast_ss(pg + j), _mm256_loadu_ps(v + static_cast<size_t>(j) * d + c), r0);
        }
        _mm256_storeu_ps(ag + c, _mm256_add_ps(r0, r1));
      }
    }
    return;
  }
#endif
  for (int j = 0; j < n; ++j) {
    const float* vj = v + static_cast<size_t>(j) * d;
    for (int g = 0; g < group; ++g) {
      simd::axpy(acc + static_cast<size_t>(g) * d, p[static_cast<size_t>(g) * n + j], vj, d);
    }
  }
}

}  // namespace

void accumulate_block(float* p, const float* q, int group, int head_dim, float scale, const float* k,
                      const float* v, int n, float* scores) {
  const size_t d = static_cast<size_t>(head_dim);
  float* m = p;
  float* l = p + group;
  float* acc = p + 2 * group;
  score_block(q, group, d, scale, k, v, n, scores);
  for (int g = 0; g < group; ++g) {
    float* sg = scores + static_cast<size_t>(g) * n;
    float block_max = sg[0];
    for (int j = 1; j < n; ++j) block_max = std::max(block_max, sg[j]);
    if (block_max > m[g]) {
      // One rescale per block rather than per token; exp(-inf) = 0 covers the empty state.
      const float c = std::exp(m[g] - block_max);
      l[g] *= c;
      simd::scale(acc + g * d, c, d);
      m[g] = block_max;
    }
    l[g] += simd::exp_shifted_sum(sg, static_cast<size_t>(n), m[g]);
  }
  weighted_sum_block(acc, group, d, v, n, scores, k + static_cast<size_t>(n) * d);
}

void merge(float* dst, const float* src, int group, int head_dim) {
  const size_t d = static_cast<size_t>(head_dim);
  for (int g = 0; g < group; ++g) {
    const float ma = dst[g];
    const float mb = src[g];
    const float m = std::max(ma, mb);
    if (m == kNegInf) continue;  // both empty
    const float ca = std::exp(ma - m);
    const float cb = std::exp(mb - m);
    dst[g] = m;
    dst[group + g] = dst[group + g] * ca + src[group + g] * cb;
    float* acc = dst + 2 * group + g * d;
    const float* other = src + 2 * group + g * d;
    simd::scale(acc, ca, d);
    simd::axpy(acc, cb, other, d);
  }
}

void finalize(const float* p, float* out, int group, int head_dim) {
  const size_t d = static_cast<size_t>(head_dim);
  for (int g = 0; g < group; ++g) {
    const float l = p[group + g];
    const float* acc = p + 2 * group + g * d;
    float* o = out + g * d;
    if (l > 0.0f) {
      const float inv = 1.0f / l;
      for (size_t i = 0; i < d; ++i) o[i] = acc[i] * inv;
    } else {
      std::fill(o, o + d, 0.0f);
    }
  }
}

}  // namespace softmax

void validate(const DecodeBatch& b) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("decode attention: " + what); };
  if (b.num_seqs < 0) fail("num_seqs must be >= 0, got " + std::to_string(b.num_seqs));
  if (b.num_seqs == 0) return;
  if (b.head_dim <= 0) fail("head_dim must be > 0, got " + std::to_string(b.head_dim));
  if (b.kv_heads <= 0 || b.q_heads <= 0 || b.q_heads % b.kv_heads != 0) {
    fail("q_heads (" + std::to_string(b.q_heads) + ") must be a positive multiple of kv_heads (" +
         std::to_string(b.kv_heads) + ")");
  }
  if (b.kv_lens == nullptr || b.q == nullptr || b.out == nullptr) fail("kv_lens, q and out must not be null");
  const bool paged = b.kv.block_tables != nullptr;
  if (paged && (b.kv.k_pool == nullptr || b.kv.v_pool == nullptr || b.kv.page_size <= 0)) {
    fail("paged KV needs k_pool, v_pool and page_size > 0");
  }
  if (!paged && (b.kv.k_seq == nullptr || b.kv.v_seq == nullptr)) fail("k and v must not be null");
  for (int32_t s = 0; s < b.num_seqs; ++s) {
    if (b.kv_lens[s] < 0) fail("kv_lens[" + std::to_string(s) + "] is negative");
    if (b.kv_lens[s] > 0 && !paged && (b.kv.k_seq[s] == nullptr || b.kv.v_seq[s] == nullptr)) {
      fail("k[" + std::to_string(s) + "] / v[" + std::to_string(s) + "] is null");
    }
  }
}

DecodeAttention::DecodeAttention(int threads) : pool_(threads), worker_scratch_(static_cast<size_t>(threads)) {}

float* DecodeAttention::scores_for(int worker, size_t floats) {
  // 16 floats to align the start to a cache line and 16 past the end, so two workers' scratch never share one.
  auto& buf = worker_scratch_[static_cast<size_t>(worker)];
  if (buf.size() < floats + 32) buf.resize(floats + 32);
  return align_line(buf.data());
}

int32_t DecodeAttention::auto_unit_tokens(int64_t total_tokens, int threads) {
  // About 64 units per thread. Units are handed out dynamically, so the step ends at most one unit after the
  // ideal; with 16 per thread that tail was ~3% of a step (a unit of a mixed batch is ~1.5 ms), and in a
  // mixed batch the units were coarser than the reference's (sequence, kv head) items. At least 256 tokens
  // so the per-piece overhead (init, one merge of group x (head_dim + 2) floats) stays negligible.
  const int64_t target = (total_tokens + kUnitsPerThread * threads - 1) / (kUnitsPerThread * threads);
  const int64_t rounded = (std::max<int64_t>(target, 256) + 15) / 16 * 16;
  return static_cast<int32_t>(std::min<int64_t>(rounded, std::numeric_limits<int32_t>::max() / 2));
}

void DecodeAttention::reference(const DecodeBatch& b) {
  validate(b);
  if (b.num_seqs == 0) return;
  const int group = b.q_heads / b.kv_heads;
  const int64_t segments = static_cast<int64_t>(b.num_seqs) * b.kv_heads;
  const size_t pf = softmax::partial_floats(group, b.head_dim);
  // Scratch must exist before the threads start: resize only here, on the calling thread.
  for (int w = 0; w < threads(); ++w) scores_for(w, pf + static_cast<size_t>(group) * kBlock);
  std::atomic<int64_t> next{0};
  pool_.run([&](int worker) {
    float* partial = align_line(worker_scratch_[static_cast<size_t>(worker)].data());
    float* scores = partial + pf;
    for (int64_t i = next.fetch_add(1, std::memory_order_relaxed); i < segments;
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      const int32_t s = static_cast<int32_t>(i / b.kv_heads);
      const int32_t h = static_cast<int32_t>(i % b.kv_heads);
      softmax::init(partial, group, b.head_dim);
      accumulate_range(b, s, h, 0, b.kv_lens[s], partial, scores);
      float* out = b.out + (static_cast<size_t>(s) * b.q_heads + static_cast<size_t>(h) * group) * b.head_dim;
      softmax::finalize(partial, out, group, b.head_dim);
    }
  });
}

void DecodeAttention::split_kv(const DecodeBatch& b, int32_t unit_tokens) {
  validate(b);
  if (b.num_seqs == 0) return;
  const int group = b.q_heads / b.kv_heads;
  const int32_t kvh = b.kv_heads;
  const int32_t segments = b.num_seqs * kvh;
  // Each piece's partial starts on its own 64-byte line: neighbouring pieces are usually on different threads
  // and are written after every block, so a shared line would ping-pong between the cores.
  const size_t pf = (softmax::partial_floats(group, b.head_dim) + 15) / 16 * 16;
  auto out_of = [&](int32_t seg) {
    return b.out + (static_cast<size_t>(seg / kvh) * b.q_heads + static_cast<size_t>(seg % kvh) * group) *
                       b.head_dim;
  };

  int64_t total = 0;
  for (int32_t s = 0; s < b.num_seqs; ++s) total += static_cast<int64_t>(b.kv_lens[s]) * kvh;
  const int64_t unit = unit_tokens > 0 ? unit_tokens : auto_unit_tokens(total, threads());
  const int64_t units = (total + unit - 1) / unit;
  last_units_ = units;

  // Cut the concatenated (segment, token) space into units; a unit becomes one piece per segment it touches.
  pieces_.clear();
  unit_first_piece_.assign(static_cast<size_t>(units) + 1, 0);
  segment_first_piece_.assign(static_cast<size_t>(segments) + 1, 0);
  {
    int32_t seg = 0;
    int64_t seg_start = 0;  // global offset of segment seg's token 0
    for (int64_t u = 0; u < units; ++u) {
      unit_first_piece_[static_cast<size_t>(u)] = static_cast<int64_t>(pieces_.size());
      int64_t pos = u * unit;
      const int64_t end = std::min(total, pos + unit);
      while (pos < end) {
        int32_t len = b.kv_lens[seg / kvh];
        while (pos >= seg_start + len) {  // skip finished and empty segments
          seg_start += len;
          ++seg;
          len = b.kv_lens[seg / kvh];
        }
        const int64_t stop = std::min(end, seg_start + len);
        pieces_.push_back({seg, static_cast<int32_t>(pos - seg_start), static_cast<int32_t>(stop - seg_start)});
        pos = stop;
      }
    }
    unit_first_piece_[static_cast<size_t>(units)] = static_cast<int64_t>(pieces_.size());
  }
  // Pieces are in segment order, so each segment's pieces are contiguous: count, then prefix-sum.
  std::vector<int32_t>& first = segment_first_piece_;
  for (const Piece& p : pieces_) ++first[static_cast<size_t>(p.segment) + 1];
  for (int32_t s = 0; s < segments; ++s) first[static_cast<size_t>(s) + 1] += first[static_cast<size_t>(s)];

  if (segment_remaining_capacity_ < static_cast<size_t>(segments)) {
    segment_remaining_.reset(new std::atomic<int32_t>[static_cast<size_t>(segments)]);
    segment_remaining_capacity_ = static_cast<size_t>(segments);
  }
  for (int32_t s = 0; s < segments; ++s) {
    const int32_t count = first[static_cast<size_t>(s) + 1] - first[static_cast<size_t>(s)];
    segment_remaining_[s].store(count, std::memory_order_relaxed);
    if (count == 0) std::fill(out_of(s), out_of(s) + static_cast<size_t>(group) * b.head_dim, 0.0f);
  }
  if (partials_.size() < pieces_.size() * pf + 16) partials_.resize(pieces_.size() * pf + 16);
  float* const partials = align_line(partials_.data());
  for (int w = 0; w < threads(); ++w) scores_for(w, static_cast<size_t>(group) * kBlock);

  std::atomic<int64_t> next{0};
  pool_.run([&](int worker) {
    float* scores = align_line(worker_scratch_[static_cast<size_t>(worker)].data());
    for (int64_t u = next.fetch_add(1, std::memory_order_relaxed); u < units;
         u = next.fetch_add(1, std::memory_order_relaxed)) {
      for (int64_t pi = unit_first_piece_[static_cast<size_t>(u)]; pi < unit_first_piece_[static_cast<size_t>(u) + 1];
           ++pi) {
        const Piece& piece = pieces_[static_cast<size_t>(pi)];
        float* partial = partials + static_cast<size_t>(pi) * pf;
        softmax::init(partial, group, b.head_dim);
        accumulate_range(b, piece.segment / kvh, piece.segment % kvh, piece.t0, piece.t1, partial, scores);
        const int32_t f0 = first[static_cast<size_t>(piece.segment)];
        const int32_t f1 = first[static_cast<size_t>(piece.segment) + 1];
        if (f1 - f0 == 1) {
          softmax::finalize(partial, out_of(piece.segment), group, b.head_dim);
          continue;
        }
        // The thread completing a segment's last piece merges all of them, always in token order so the
        // result does not depend on scheduling.
        if (segment_remaining_[piece.segment].fetch_sub(1, std::memory_order_acq_rel) != 1) continue;
        float* host = partials + static_cast<size_t>(f0) * pf;
        for (int32_t other = f0 + 1; other < f1; ++other) {
          softmax::merge(host, partials + static_cast<size_t>(other) * pf, group, b.head_dim);
        }
        softmax::finalize(host, out_of(piece.segment), group, b.head_dim);
      }
    }
  });
}

}  // namespace ss
