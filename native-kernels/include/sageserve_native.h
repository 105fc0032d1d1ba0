/*
 * sageserve_native: decode attention kernels (reference and LeanAttention-style split-KV) and a CPU worker
 * engine with a paged KV cache, behind a C ABI meant for P/Invoke.
 *
 * Conventions:
 *  - Every function returns an ss_status; SS_OK (0) is success. On failure ss_last_error() describes the
 *    problem (thread-local, valid until the next call on the same thread). No C++ exception crosses the ABI.
 *  - Structs are plain sequential layouts of fixed-width fields (LayoutKind.Sequential in C#).
 *  - Tensors are fp32, row-major, densely packed.
 *  - An engine is internally locked: calls on one engine from several threads are serialised.
 *    An attention context is not: use one per calling thread.
 */
#ifndef SAGESERVE_NATIVE_H
#define SAGESERVE_NATIVE_H

#include <stdint.h>

#if defined(_WIN32)
#  if defined(SS_BUILDING_LIBRARY)
#    define SS_API __declspec(dllexport)
#  else
#    define SS_API __declspec(dllimport)
#  endif
#else
#  define SS_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ss_status {
  SS_OK = 0,
  SS_ERR_INVALID_ARGUMENT = 1, /* null pointer, non-positive size, q_heads not a multiple of kv_heads, ... */
  SS_ERR_OUT_OF_MEMORY = 2,    /* host allocation failed */
  SS_ERR_KV_FULL = 3,          /* not enough free KV-cache pages to admit the request */
  SS_ERR_NOT_FOUND = 4,        /* unknown request id */
  SS_ERR_DUPLICATE = 5,        /* request id already admitted */
  SS_ERR_INTERNAL = 6
} ss_status;

/* Description of the last failure on the calling thread ("" if none). Never NULL. */
SS_API const char* ss_last_error(void);

/* Library version, e.g. "0.1.0". Never NULL. */
SS_API const char* ss_version(void);

/* 1 if the library was compiled with AVX2+FMA kernels, 0 for the portable scalar build. */
SS_API int32_t ss_simd_enabled(void);

/* ---------------------------------------------------------------------------------------------------------
 * Decode attention (one query token per sequence).
 * ------------------------------------------------------------------------------------------------------- */

typedef struct ss_attention ss_attention; /* a persistent thread pool plus scratch space */

typedef enum ss_attention_algo {
  SS_ATTN_REFERENCE = 0, /* one work unit per (sequence, kv head), online softmax */
  SS_ATTN_SPLIT_KV = 1   /* LeanAttention / stream-K: equal-size units of KV tokens, partials merged */
} ss_attention_algo;

typedef struct ss_attention_shape {
  int32_t num_seqs;
  int32_t q_heads;     /* multiple of kv_heads (GQA: q_heads / kv_heads query heads share one kv head) */
  int32_t kv_heads;
  int32_t head_dim;
  int32_t unit_tokens; /* split-KV work-unit size in KV tokens; 0 picks one from the total work and threads */
} ss_attention_shape;

/* threads >= 1 (the calling thread counts as one). */
SS_API ss_status ss_attention_create(int32_t threads, ss_attention** out);
SS_API ss_status ss_attention_destroy(ss_attention* ctx);

/*
 * out[s][h][:] = softmax(q[s][h] . K[s][h/g]^T / sqrt(head_dim)) V[s][h/g], g = q_heads / kv_heads.
 *   kv_lens[s] >= 0 (a sequence of length 0 gets zeros)
 *   q, out:    [num_seqs][q_heads][head_dim]
 *   k[s], v[s]: [kv_heads][kv_lens[s]][head_dim] for each sequence s
 */
SS_API ss_status ss_attention_decode(ss_attention* ctx, ss_attention_algo algo, const ss_attention_shape* shape,
                                     const int32_t* kv_lens, const float* q, const float* const* k,
                                     const float* const* v, float* out);

/* ---------------------------------------------------------------------------------------------------------
 * Worker engine: random weights, paged KV cache, continuous batching.
 * ------------------------------------------------------------------------------------------------------- */

typedef struct ss_engine ss_engine;

typedef struct ss_engine_config {
  int32_t layers;
  int32_t q_heads;
  int32_t kv_heads;
  int32_t head_dim;      /* the hidden size is q_heads * head_dim */
  int64_t max_kv_tokens; /* KV-cache capacity in tokens (rounded down to whole pages) */
  int32_t page_size;     /* tokens per KV page; 0 means 16 */
  int32_t threads;       /* >= 1 */
  uint64_t seed;         /* weights and synthetic activations are a function of the seed only */
  int32_t max_running;   /* cap on concurrently decoding sequences; 0 means no cap (KV memory is the cap) */
  int32_t reserved;      /* must be 0 */
} ss_engine_config;

typedef struct ss_step_info {
  int32_t prefilled;        /* sequences prefilled this step (each emits its first token) */
  int32_t decoded;          /* sequences that decoded one token this step */
  int32_t completed;        /* sequences that finished this step (ids via ss_engine_take_completed) */
  int32_t running;          /* sequences running after the step */
  int64_t prefill_tokens;   /* prompt tokens processed this step */
  int64_t tokens_generated; /* output tokens emitted this step */
  int64_t kv_rows_read;     /* K/V rows (one kv head, one layer) the decode attention read: its memory traffic */
} ss_step_info;

typedef struct ss_engine_stats {
  double kv_utilisation;    /* pages held by admitted sequences / total pages, 0..1 */
  int32_t running;          /* prefilled and decoding */
  int32_t queued;           /* admitted, waiting for prefill */
  int64_t tokens_generated; /* total output tokens since creation */
  int64_t total_pages;
  int64_t free_pages;
  int32_t page_size;
  int32_t reserved;
  int64_t steps;
  int64_t completed;        /* sequences completed since creation */
} ss_engine_stats;

SS_API ss_status ss_engine_create(const ss_engine_config* config, ss_engine** out);
SS_API ss_status ss_engine_destroy(ss_engine* engine);

/*
 * Admits a request: reserves KV pages for prompt_tokens + max_output_tokens up front (so a running
 * sequence never has to be preempted) and queues it for prefill in the next step.
 * SS_ERR_KV_FULL (engine unchanged) if the pages are not free; SS_ERR_DUPLICATE if the id is live.
 */
SS_API ss_status ss_engine_admit(ss_engine* engine, uint64_t request_id, int32_t prompt_tokens,
                                 int32_t max_output_tokens);

/* Pages a request of this size would reserve (to decide placement before admitting). */
SS_API ss_status ss_engine_pages_needed(const ss_engine* engine, int32_t prompt_tokens, int32_t max_output_tokens,
                                        int64_t* pages);

/*
 * One continuous-batching iteration: prefills queued requests (up to max_running), then decodes one token
 * for every sequence that was already running. Sequences reaching max_output_tokens complete and free
 * their pages. info may be NULL.
 */
SS_API ss_status ss_engine_step(ss_engine* engine, ss_step_info* info);

/* Drains up to capacity ids of completed requests (oldest first); *count receives how many were written. */
SS_API ss_status ss_engine_take_completed(ss_engine* engine, uint64_t* ids, int32_t capacity, int32_t* count);

/* Aborts a queued or running request and frees its pages. SS_ERR_NOT_FOUND if it is not live. */
SS_API ss_status ss_engine_release(ss_engine* engine, uint64_t request_id);

SS_API ss_status ss_engine_stats_get(ss_engine* engine, ss_engine_stats* out);

#ifdef __cplusplus
}
#endif

#endif /* SAGESERVE_NATIVE_H */
