// The C ABI: argument checks, the status/last-error convention, and the wall that no exception crosses.
#include <mutex>
#include <new>
#include <string>

#include "attention.hpp"
#include "engine.hpp"
#include "sageserve_native.h"
#include "simd.hpp"

// The C# side mirrors these structs with LayoutKind.Sequential; a size change is an ABI break.
static_assert(sizeof(ss_attention_shape) == 20, "ss_attention_shape layout changed");
static_assert(sizeof(ss_engine_config) == 48, "ss_engine_config layout changed");
static_assert(sizeof(ss_step_info) == 40, "ss_step_info layout changed");
static_assert(sizeof(ss_engine_stats) == 64, "ss_engine_stats layout changed");

struct ss_attention {
  explicit ss_attention(int threads) : kernels(threads) {}
  ss::DecodeAttention kernels;
};

struct ss_engine {
  explicit ss_engine(const ss_engine_config& config) : engine(config) {}
  std::mutex mutex;
  ss::Engine engine;
};

namespace {

thread_local std::string last_error;

ss_status fail(ss_status code, const std::string& what) {
  try {
    last_error = what;
  } catch (...) {
    // Out of memory while recording the message: the status code still says what happened.
  }
  return code;
}

template <typename F>
ss_status guarded(const char* function, F&& body) {
  try {
    body();
    return SS_OK;
  } catch (const ss::Error& e) {
    return fail(e.code(), std::string(function) + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    return fail(SS_ERR_INVALID_ARGUMENT, std::string(function) + ": " + e.what());
  } catch (const std::bad_alloc&) {
    return fail(SS_ERR_OUT_OF_MEMORY, std::string(function) + ": out of host memory");
  } catch (const std::exception& e) {
    return fail(SS_ERR_INTERNAL, std::string(function) + ": " + e.what());
  } catch (...) {
    return fail(SS_ERR_INTERNAL, std::string(function) + ": unknown error");
  }
}

#define SS_REQUIRE(cond, message)                                          \
  do {                                                                     \
    if (!(cond)) return fail(SS_ERR_INVALID_ARGUMENT, (message));          \
  } while (0)

}  // namespace

extern "C" {

const char* ss_last_error(void) { return last_error.c_str(); }

const char* ss_version(void) { return "0.1.0"; }

int32_t ss_simd_enabled(void) { return SS_SIMD_AVX2; }

ss_status ss_attention_create(int32_t threads, ss_attention** out) {
  SS_REQUIRE(out != nullptr, "ss_attention_create: out is null");
  *out = nullptr;
  SS_REQUIRE(threads >= 1 && threads <= 256, "ss_attention_create: threads must be in 1..256, got " +
                                                 std::to_string(threads));
  return guarded("ss_attention_create", [&] { *out = new ss_attention(threads); });
}

ss_status ss_attention_destroy(ss_attention* ctx) {
  return guarded("ss_attention_destroy", [&] { delete ctx; });
}

ss_status ss_attention_decode(ss_attention* ctx, ss_attention_algo algo, const ss_attention_shape* shape,
                              const int32_t* kv_lens, const float* q, const float* const* k, const float* const* v,
                              float* out) {
  SS_REQUIRE(ctx != nullptr && shape != nullptr, "ss_attention_decode: ctx and shape must not be null");
  SS_REQUIRE(algo == SS_ATTN_REFERENCE || algo == SS_ATTN_SPLIT_KV,
             "ss_attention_decode: unknown algo " + std::to_string(static_cast<int>(algo)));
  SS_REQUIRE(shape->unit_tokens >= 0, "ss_attention_decode: unit_tokens must be >= 0");
  return guarded("ss_attention_decode", [&] {
    ss::DecodeBatch b;
    b.num_seqs = shape->num_seqs;
    b.q_heads = shape->q_heads;
    b.kv_heads = shape->kv_heads;
    b.head_dim = shape->head_dim;
    b.kv_lens = kv_lens;
    b.q = q;
    b.out = out;
    b.kv.k_seq = k;
    b.kv.v_seq = v;
    if (algo == SS_ATTN_REFERENCE) {
      ctx->kernels.reference(b);
    } else {
      ctx->kernels.split_kv(b, shape->unit_tokens);
    }
  });
}

ss_status ss_engine_create(const ss_engine_config* config, ss_engine** out) {
  SS_REQUIRE(out != nullptr && config != nullptr, "ss_engine_create: config and out must not be null");
  *out = nullptr;
  return guarded("ss_engine_create", [&] { *out = new ss_engine(*config); });
}

ss_status ss_engine_destroy(ss_engine* engine) {
  return guarded("ss_engine_destroy", [&] { delete engine; });
}

ss_status ss_engine_admit(ss_engine* engine, uint64_t request_id, int32_t prompt_tokens,
                          int32_t max_output_tokens) {
  SS_REQUIRE(engine != nullptr, "ss_engine_admit: engine is null");
  return guarded("ss_engine_admit", [&] {
    std::lock_guard<std::mutex> lock(engine->mutex);
    engine->engine.admit(request_id, prompt_tokens, max_output_tokens);
  });
}

ss_status ss_engine_pages_needed(const ss_engine* engine, int32_t prompt_tokens, int32_t max_output_tokens,
                                 int64_t* pages) {
  SS_REQUIRE(engine != nullptr && pages != nullptr, "ss_engine_pages_needed: engine and pages must not be null");
  SS_REQUIRE(prompt_tokens > 0 && max_output_tokens > 0,
             "ss_engine_pages_needed: prompt_tokens and max_output_tokens must be > 0");
  // The page size never changes after creation, so no lock is needed.
  *pages = engine->engine.pages_needed(prompt_tokens, max_output_tokens);
  return SS_OK;
}

ss_status ss_engine_step(ss_engine* engine, ss_step_info* info) {
  SS_REQUIRE(engine != nullptr, "ss_engine_step: engine is null");
  return guarded("ss_engine_step", [&] {
    std::lock_guard<std::mutex> lock(engine->mutex);
    const ss_step_info result = engine->engine.step();
    if (info != nullptr) *info = result;
  });
}

ss_status ss_engine_take_completed(ss_engine* engine, uint64_t* ids, int32_t capacity, int32_t* count) {
  SS_REQUIRE(engine != nullptr && count != nullptr, "ss_engine_take_completed: engine and count must not be null");
  *count = 0;
  SS_REQUIRE(capacity >= 0, "ss_engine_take_completed: capacity must be >= 0");
  SS_REQUIRE(ids != nullptr || capacity == 0, "ss_engine_take_completed: ids is null");
  return guarded("ss_engine_take_completed", [&] {
    std::lock_guard<std::mutex> lock(engine->mutex);
    *count = static_cast<int32_t>(engine->engine.take_completed(ids, static_cast<size_t>(capacity)));
  });
}

ss_status ss_engine_release(ss_engine* engine, uint64_t request_id) {
  SS_REQUIRE(engine != nullptr, "ss_engine_release: engine is null");
  return guarded("ss_engine_release", [&] {
    std::lock_guard<std::mutex> lock(engine->mutex);
    engine->engine.release(request_id);
  });
}

ss_status ss_engine_stats_get(ss_engine* engine, ss_engine_stats* out) {
  SS_REQUIRE(engine != nullptr && out != nullptr, "ss_engine_stats_get: engine and out must not be null");
  return guarded("ss_engine_stats_get", [&] {
    std::lock_guard<std::mutex> lock(engine->mutex);
    *out = engine->engine.stats();
  });
}

}  // extern "C"
