#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include <unistd.h>

#include "simd.hpp"

namespace ss {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Uniform in [-1, 1) from a 64-bit counter-based stream.
float uniform(uint64_t& state) {
  state = splitmix64(state);
  return static_cast<float>(static_cast<int64_t>(state >> 40) - (1LL << 23)) / static_cast<float>(1 << 23);
}

void matvec(const float* w, const float* x, float* y, int32_t out, int32_t in) {
  for (int32_t o = 0; o < out; ++o) y[o] = simd::dot(w + static_cast<size_t>(o) * in, x, static_cast<size_t>(in));
}

ss_engine_config validated(ss_engine_config c) {
  auto fail = [](const std::string& what) { throw Error(SS_ERR_INVALID_ARGUMENT, "engine config: " + what); };
  if (c.page_size == 0) c.page_size = 16;
  if (c.layers <= 0) fail("layers must be > 0, got " + std::to_string(c.layers));
  if (c.head_dim <= 0) fail("head_dim must be > 0, got " + std::to_string(c.head_dim));
  if (c.kv_heads <= 0 || c.q_heads <= 0 || c.q_heads % c.kv_heads != 0) {
    fail("q_heads (" + std::to_string(c.q_heads) + ") must be a positive multiple of kv_heads (" +
         std::to_string(c.kv_heads) + ")");
  }
  if (c.page_size < 0) fail("page_size must be > 0, got " + std::to_string(c.page_size));
  if (c.max_kv_tokens < c.page_size) {
    fail("max_kv_tokens (" + std::to_string(c.max_kv_tokens) + ") must hold at least one page of " +
         std::to_string(c.page_size) + " tokens");
  }
  if (c.max_kv_tokens / c.page_size > std::numeric_limits<int32_t>::max()) fail("max_kv_tokens is too large");
  if (c.threads <= 0 || c.threads > 256) fail("threads must be in 1..256, got " + std::to_string(c.threads));
  if (c.max_running < 0) fail("max_running must be >= 0, got " + std::to_string(c.max_running));
  if (c.reserved != 0) fail("reserved must be 0");
  const double hidden = static_cast<double>(c.q_heads) * c.head_dim;
  if (hidden > 65536) fail("q_heads * head_dim must be <= 65536");
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
  // Zero-filling a cache larger than RAM would end in the OOM killer, not in bad_alloc: refuse up front.
  const double cache_bytes = static_cast<double>(c.max_kv_tokens / c.page_size) * c.page_size * c.layers * 2.0 *
                             c.kv_heads * c.head_dim * sizeof(float);
  const double ram_bytes = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
  if (ram_bytes > 0 && cache_bytes > ram_bytes) {
    throw Error(SS_ERR_OUT_OF_MEMORY, "engine config: the KV cache would take " +
                                          std::to_string(static_cast<long long>(cache_bytes / 1e6)) +
                                          " MB, more than this machine's " +
                                          std::to_string(static_cast<long long>(ram_bytes / 1e6)) + " MB of RAM");
  }
#endif
  return c;
}

}  // namespace

Engine::Engine(const ss_engine_config& config)
    : config_(validated(config)),
      hidden_(config_.q_heads * config_.head_dim),
      kv_width_(config_.kv_heads * config_.head_dim),
      total_pages_(config_.max_kv_tokens / config_.page_size),
      page_floats_(static_cast<size_t>(config_.kv_heads) * config_.page_size * config_.head_dim),
      attention_(config_.threads),
      worker_scratch_(static_cast<size_t>(config_.threads)) {
  const size_t layers = static_cast<size_t>(config_.layers);
  const size_t h = static_cast<size_t>(hidden_);
  const size_t kw = static_cast<size_t>(kv_width_);
  // Variance 1/fan_in keeps activations O(1) through the layers.
  const float amp = std::sqrt(3.0f / static_cast<float>(hidden_));
  uint64_t state = splitmix64(config_.seed ^ 0x5EED5EED5EED5EEDULL);
  auto fill = [&](std::vector<float>& w, size_t n) {
    w.resize(n);
    for (float& f : w) f = amp * uniform(state);
  };
  wq_.resize(layers);
  wk_.resize(layers);
  wv_.resize(layers);
  wo_.resize(layers);
  k_cache_.resize(layers);
  v_cache_.resize(layers);
  const size_t cache_floats = static_cast<size_t>(total_pages_) * page_floats_;
  for (size_t l = 0; l < layers; ++l) {
    fill(wq_[l], h * h);
    fill(wk_[l], kw * h);
    fill(wv_[l], kw * h);
    fill(wo_[l], h * h);
    k_cache_[l] = HugeBuffer(cache_floats);
    v_cache_[l] = HugeBuffer(cache_floats);
  }
  free_pages_.reserve(static_cast<size_t>(total_pages_));
  // Popped from the back: low page numbers go out first.
  for (int64_t p = total_pages_ - 1; p >= 0; --p) free_pages_.push_back(static_cast<int32_t>(p));
  for (auto& s : worker_scratch_) s.resize(3 * h);
}

int64_t Engine::pages_needed(int32_t prompt_tokens, int32_t max_output_tokens) const {
  const int64_t tokens = static_cast<int64_t>(prompt_tokens) + max_output_tokens;
  return (tokens + config_.page_size - 1) / config_.page_size;
}

void Engine::admit(uint64_t request_id, int32_t prompt_tokens, int32_t max_output_tokens) {
  if (prompt_tokens <= 0 || max_output_tokens <= 0) {
    throw Error(SS_ERR_INVALID_ARGUMENT, "admit: prompt_tokens (" + std::to_string(prompt_tokens) +
                                             ") and max_output_tokens (" + std::to_string(max_output_tokens) +
                                             ") must be > 0");
  }
  if (live_.count(request_id) != 0) {
    throw Error(SS_ERR_DUPLICATE, "admit: request " + std::to_string(request_id) + " is already admitted");
  }
  const int64_t need = pages_needed(prompt_tokens, max_output_tokens);
  if (need > static_cast<int64_t>(free_pages_.size())) {
    throw Error(SS_ERR_KV_FULL, "admit: request " + std::to_string(request_id) + " needs " + std::to_string(need) +
                                    " KV pages, " + std::to_string(free_pages_.size()) + " of " +
                                    std::to_string(total_pages_) + " are free");
  }
  Sequence seq;
  seq.id = request_id;
  seq.prompt_tokens = prompt_tokens;
  seq.max_output_tokens = max_output_tokens;
  seq.pages.assign(free_pages_.end() - need, free_pages_.end());
  std::reverse(seq.pages.begin(), seq.pages.end());
  seq.x.assign(static_cast<size_t>(hidden_), 0.0f);
  live_.emplace(request_id, std::move(seq));  // may throw: pages are only taken after it succeeded
  free_pages_.resize(free_pages_.size() - static_cast<size_t>(need));
  queued_.push_back(request_id);
}

void Engine::synthetic_activation(uint64_t request_id, int64_t token, float* out) const {
  uint64_t state = splitmix64(config_.seed ^ splitmix64(request_id) ^ splitmix64(static_cast<uint64_t>(token) + 1));
  for (int32_t i = 0; i < hidden_; ++i) out[i] = uniform(state);
}

void Engine::write_kv(int layer, const Sequence& seq, int32_t token, const float* k, const float* v) {
  const int32_t ps = config_.page_size;
  const size_t d = static_cast<size_t>(config_.head_dim);
  const size_t page = static_cast<size_t>(seq.pages[static_cast<size_t>(token / ps)]);
  const size_t slot = static_cast<size_t>(token % ps);
  float* kc = k_cache_[static_cast<size_t>(layer)].data() + page * page_floats_;
  float* vc = v_cache_[static_cast<size_t>(layer)].data() + page * page_floats_;
  for (int32_t h = 0; h < config_.kv_heads; ++h) {
    const size_t off = (static_cast<size_t>(h) * ps + slot) * d;
    std::copy(k + h * d, k + (h + 1) * d, kc + off);
    std::copy(v + h * d, v + (h + 1) * d, vc + off);
  }
}

void Engine::prefill(const std::vector<Sequence*>& batch) {
  // Flatten (sequence, prompt token) so long and short prompts spread evenly over the threads.
  std::vector<int64_t> first(batch.size() + 1, 0);
  for (size_t i = 0; i < batch.size(); ++i) first[i + 1] = first[i] + batch[i]->prompt_tokens;
  const int64_t total = first.back();
  constexpr int64_t kChunk = 16;
  std::atomic<int64_t> next{0};
  attention_.pool().run([&](int worker) {
    float* x = worker_scratch_[static_cast<size_t>(worker)].data();
    float* k = x + hidden_;
    float* v = k + kv_width_;
    for (int64_t c = next.fetch_add(kChunk); c < total; c = next.fetch_add(kChunk)) {
      size_t i = static_cast<size_t>(std::upper_bound(first.begin(), first.end(), c) - first.begin()) - 1;
      for (int64_t g = c; g < std::min(total, c + kChunk); ++g) {
        while (g >= first[i + 1]) ++i;
        const Sequence& seq = *batch[i];
        const int32_t token = static_cast<int32_t>(g - first[i]);
        synthetic_activation(seq.id, token, x);
        for (int32_t l = 0; l < config_.layers; ++l) {
          matvec(wk_[static_cast<size_t>(l)].data(), x, k, kv_width_, hidden_);
          matvec(wv_[static_cast<size_t>(l)].data(), x, v, kv_width_, hidden_);
          write_kv(l, seq, token, k, v);
        }
      }
    }
  });
  for (Sequence* seq : batch) {
    seq->kv_len = seq->prompt_tokens;
    synthetic_activation(seq->id, -1, seq->x.data());
    seq->generated = 1;  // prefill emits the first output token
  }
}

void Engine::decode(const std::vector<Sequence*>& batch) {
  const size_t n = batch.size();
  const size_t h = static_cast<size_t>(hidden_);
  std::vector<float> q(n * h), attn(n * h);
  std::vector<int32_t> lens(n);
  std::vector<const int32_t*> tables(n);
  for (size_t i = 0; i < n; ++i) {
    lens[i] = batch[i]->kv_len + 1;  // the token being decoded attends to itself too
    tables[i] = batch[i]->pages.data();
  }
  for (int32_t l = 0; l < config_.layers; ++l) {
    const size_t ls = static_cast<size_t>(l);
    std::atomic<size_t> next{0};
    attention_.pool().run([&](int worker) {
      float* k = worker_scratch_[static_cast<size_t>(worker)].data();
      float* v = k + kv_width_;
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        const float* x = batch[i]->x.data();
        matvec(wq_[ls].data(), x, q.data() + i * h, hidden_, hidden_);
        matvec(wk_[ls].data(), x, k, kv_width_, hidden_);
        matvec(wv_[ls].data(), x, v, kv_width_, hidden_);
        write_kv(l, *batch[i], batch[i]->kv_len, k, v);
      }
    });
    DecodeBatch b;
    b.num_seqs = static_cast<int32_t>(n);
    b.q_heads = config_.q_heads;
    b.kv_heads = config_.kv_heads;
    b.head_dim = config_.head_dim;
    b.kv_lens = lens.data();
    b.q = q.data();
    b.out = attn.data();
    b.kv.k_pool = k_cache_[ls].data();
    b.kv.v_pool = v_cache_[ls].data();
    b.kv.block_tables = tables.data();
    b.kv.page_size = config_.page_size;
    attention_.split_kv(b, 0);
    next = 0;
    attention_.pool().run([&](int worker) {
      float* y = worker_scratch_[static_cast<size_t>(worker)].data();
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
        float* x = batch[i]->x.data();
        matvec(wo_[ls].data(), attn.data() + i * h, y, hidden_, hidden_);
        float sumsq = 0.0f;
        for (size_t j = 0; j < h; ++j) {
          x[j] += y[j];
          sumsq += x[j] * x[j];
        }
        simd::scale(x, 1.0f / std::sqrt(sumsq / static_cast<float>(h) + 1e-6f), h);  // RMS norm
      }
    });
  }
  for (Sequence* seq : batch) {
    ++seq->kv_len;
    ++seq->generated;
  }
}

ss_step_info Engine::step() {
  ss_step_info info{};
  std::vector<Sequence*> to_prefill;
  while (!queued_.empty() &&
         (config_.max_running == 0 ||
          running_.size() + to_prefill.size() < static_cast<size_t>(config_.max_running))) {
    to_prefill.push_back(&live_.at(queued_.front()));
    info.prefill_tokens += to_prefill.back()->prompt_tokens;
    queued_.pop_front();
  }
  std::vector<Sequence*> to_decode;
  to_decode.reserve(running_.size());
  for (uint64_t id : running_) to_decode.push_back(&live_.at(id));

  if (!to_prefill.empty()) prefill(to_prefill);
  if (!to_decode.empty()) {
    for (const Sequence* seq : to_decode) {
      info.kv_rows_read += static_cast<int64_t>(seq->kv_len + 1) * config_.kv_heads * config_.layers;
    }
    decode(to_decode);
  }
  info.prefilled = static_cast<int32_t>(to_prefill.size());
  info.decoded = static_cast<int32_t>(to_decode.size());
  info.tokens_generated = info.prefilled + info.decoded;
  tokens_generated_ += info.tokens_generated;

  std::vector<uint64_t> still_running;
  still_running.reserve(running_.size() + to_prefill.size());
  auto settle = [&](const Sequence* seq) {
    if (seq->generated >= seq->max_output_tokens) {
      ++info.completed;
      complete(seq->id);  // invalidates seq
    } else {
      still_running.push_back(seq->id);
    }
  };
  for (Sequence* seq : to_decode) settle(seq);
  for (Sequence* seq : to_prefill) settle(seq);
  running_.swap(still_running);
  info.running = static_cast<int32_t>(running_.size());
  ++steps_;
  return info;
}

void Engine::complete(uint64_t id) {
  auto it = live_.find(id);
  free_pages_.insert(free_pages_.end(), it->second.pages.rbegin(), it->second.pages.rend());
  live_.erase(it);
  completed_.push_back(id);
  ++completed_total_;
}

size_t Engine::take_completed(uint64_t* ids, size_t capacity) {
  size_t n = 0;
  while (n < capacity && !completed_.empty()) {
    ids[n++] = completed_.front();
    completed_.pop_front();
  }
  return n;
}

void Engine::release(uint64_t request_id) {
  auto it = live_.find(request_id);
  if (it == live_.end()) {
    throw Error(SS_ERR_NOT_FOUND, "release: request " + std::to_string(request_id) + " is not queued or running");
  }
  auto q = std::find(queued_.begin(), queued_.end(), request_id);
  if (q != queued_.end()) queued_.erase(q);
  auto r = std::find(running_.begin(), running_.end(), request_id);
  if (r != running_.end()) running_.erase(r);
  free_pages_.insert(free_pages_.end(), it->second.pages.rbegin(), it->second.pages.rend());
  live_.erase(it);
}

ss_engine_stats Engine::stats() const {
  ss_engine_stats s{};
  s.total_pages = total_pages_;
  s.free_pages = static_cast<int64_t>(free_pages_.size());
  s.kv_utilisation = static_cast<double>(total_pages_ - s.free_pages) / static_cast<double>(total_pages_);
  s.running = static_cast<int32_t>(running_.size());
  s.queued = static_cast<int32_t>(queued_.size());
  s.tokens_generated = tokens_generated_;
  s.page_size = config_.page_size;
  s.steps = steps_;
  s.completed = completed_total_;
  return s;
}

}  // namespace ss
