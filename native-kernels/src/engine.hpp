// A CPU stand-in for one LLM worker: random weights, a paged KV cache and continuous batching.
//
// The model is a stack of `layers` attention blocks over a hidden state of q_heads * head_dim floats:
// per token and layer, Q/K/V projections and an output projection (real matmuls), the new K/V row is
// appended to the paged cache, and split-KV attention runs over each sequence's whole cache. Prefill writes
// the prompt's K/V rows (projections of synthetic activations), so its cost is linear in prompt tokens.
// Nothing is meaningful about the numbers produced; the point is that the time of a step really depends on
// batch size and context length, as on a GPU worker.
#pragma once

#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "attention.hpp"
#include "huge_buffer.hpp"
#include "sageserve_native.h"

namespace ss {

// A failure the C ABI reports with a specific status code.
class Error : public std::runtime_error {
 public:
  Error(ss_status code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ss_status code() const { return code_; }

 private:
  ss_status code_;
};

class Engine {
 public:
  explicit Engine(const ss_engine_config& config);

  // Throws Error(SS_ERR_KV_FULL | SS_ERR_DUPLICATE | SS_ERR_INVALID_ARGUMENT); on failure nothing changes.
  void admit(uint64_t request_id, int32_t prompt_tokens, int32_t max_output_tokens);
  int64_t pages_needed(int32_t prompt_tokens, int32_t max_output_tokens) const;
  ss_step_info step();
  size_t take_completed(uint64_t* ids, size_t capacity);
  // Throws Error(SS_ERR_NOT_FOUND) if the request is neither queued nor running.
  void release(uint64_t request_id);
  ss_engine_stats stats() const;

  const ss_engine_config& config() const { return config_; }

 private:
  struct Sequence {
    uint64_t id = 0;
    int32_t prompt_tokens = 0;
    int32_t max_output_tokens = 0;
    int32_t generated = 0;
    int32_t kv_len = 0;          // K/V rows written to the cache
    std::vector<int32_t> pages;  // block table: logical page -> physical page
    std::vector<float> x;        // hidden state of the last token
  };

  void prefill(const std::vector<Sequence*>& batch);
  void decode(const std::vector<Sequence*>& batch);
  void write_kv(int layer, const Sequence& seq, int32_t token, const float* k, const float* v);
  void complete(uint64_t id);
  void synthetic_activation(uint64_t request_id, int64_t token, float* out) const;

  ss_engine_config config_;
  int32_t hidden_;    // q_heads * head_dim
  int32_t kv_width_;  // kv_heads * head_dim
  int64_t total_pages_;
  size_t page_floats_;  // floats of one page in one layer's K (or V) pool

  std::vector<std::vector<float>> wq_, wk_, wv_, wo_;  // per layer, row-major [out][in]
  std::vector<HugeBuffer> k_cache_, v_cache_;  // per layer, [page][kv_head][page_size][head_dim]
  std::vector<int32_t> free_pages_;

  std::unordered_map<uint64_t, Sequence> live_;
  std::deque<uint64_t> queued_;
  std::vector<uint64_t> running_;  // in prefill order
  std::deque<uint64_t> completed_;

  DecodeAttention attention_;
  std::vector<std::vector<float>> worker_scratch_;

  int64_t tokens_generated_ = 0;
  int64_t steps_ = 0;
  int64_t completed_total_ = 0;
};

}  // namespace ss
