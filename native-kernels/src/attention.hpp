// Decode attention over a batch of sequences (one query token each), fp32.
//
// Both kernels share the same inner loop (softmax::accumulate_block), so they differ only in how the KV work
// is cut up and scheduled:
//  - reference: one work unit per (sequence, kv head); a long sequence keeps one thread busy while the rest idle.
//  - split-KV (LeanAttention / stream-K): the concatenation of all (sequence, kv head) KV ranges is cut into
//    units of a fixed number of tokens, regardless of boundaries; each piece of a unit yields a partial softmax
//    state (running max, running sum, unnormalised output) and the pieces of one (sequence, kv head) are merged
//    with the associative rescaling rule by whichever thread finishes that segment's last piece.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "thread_pool.hpp"

namespace ss {

// Where the keys and values of a batch live.
struct KvSource {
  // Dense: k_seq[s], v_seq[s] are [kv_heads][kv_lens[s]][head_dim].
  const float* const* k_seq = nullptr;
  const float* const* v_seq = nullptr;
  // Paged (used when block_tables != nullptr): token t of sequence s, kv head h is in physical page
  // p = block_tables[s][t / page_size], at pool + ((p * kv_heads + h) * page_size + t % page_size) * head_dim.
  const float* k_pool = nullptr;
  const float* v_pool = nullptr;
  const int32_t* const* block_tables = nullptr;
  int32_t page_size = 0;
};

struct DecodeBatch {
  int32_t num_seqs = 0;
  int32_t q_heads = 0;
  int32_t kv_heads = 0;
  int32_t head_dim = 0;
  const int32_t* kv_lens = nullptr;  // [num_seqs]
  const float* q = nullptr;          // [num_seqs][q_heads][head_dim]
  float* out = nullptr;              // [num_seqs][q_heads][head_dim]
  KvSource kv;
};

// Partial softmax state of `group` query heads: floats laid out as [m: group][l: group][acc: group][head_dim].
// Empty state: m = -inf, l = 0, acc = 0. The represented output is acc / l.
namespace softmax {

inline size_t partial_floats(int group, int head_dim) {
  return static_cast<size_t>(group) * (static_cast<size_t>(head_dim) + 2);
}
void init(float* partial, int group, int head_dim);
// Folds n consecutive KV rows (k, v: [n][head_dim]) into the state. scores: scratch of >= group * n floats.
void accumulate_block(float* partial, const float* q, int group, int head_dim, float scale, const float* k,
                      const float* v, int n, float* scores);
// dst = dst (+) src, the associative softmax merge.
void merge(float* dst, const float* src, int group, int head_dim);
// out[g][:] = acc[g] / l[g], or zeros for an empty state.
void finalize(const float* partial, float* out, int group, int head_dim);

}  // namespace softmax

// Throws std::invalid_argument if the batch is malformed.
void validate(const DecodeBatch& batch);

class DecodeAttention {
 public:
  explicit DecodeAttention(int threads);

  int threads() const { return pool_.size(); }
  ThreadPool& pool() { return pool_; }

  void reference(const DecodeBatch& batch);
  // unit_tokens <= 0 picks auto_unit_tokens(total KV work, threads()).
  void split_kv(const DecodeBatch& batch, int32_t unit_tokens);

  static int32_t auto_unit_tokens(int64_t total_tokens, int threads);

  // Pieces the last split_kv call cut the work into (for tests and the benchmark).
  int64_t last_units() const { return last_units_; }
  int64_t last_pieces() const { return static_cast<int64_t>(pieces_.size()); }

 private:
  struct Piece {
    int32_t segment;
    int32_t t0;
    int32_t t1;
  };

  // Sizes worker w's scratch (calling thread only) and returns it, 64-byte aligned and padded.
  float* scores_for(int worker, size_t floats);

  ThreadPool pool_;
  std::vector<std::vector<float>> worker_scratch_;
  std::vector<float> partials_;
  std::vector<Piece> pieces_;
  std::vector<int64_t> unit_first_piece_;
  std::vector<int32_t> segment_first_piece_;
  std::unique_ptr<std::atomic<int32_t>[]> segment_remaining_;
  size_t segment_remaining_capacity_ = 0;
  int64_t last_units_ = 0;
};

}  // namespace ss
