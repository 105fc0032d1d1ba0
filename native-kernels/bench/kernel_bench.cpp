// sageserve-kernel-bench: KV-read bandwidth of the decode attention kernels, next to a STREAM-like measure
// of what the memory system delivers. Not a test: numbers depend on the machine and its load.
//
// Usage: sageserve-kernel-bench [--threads N] [--reps N] [--long-tokens N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "attention.hpp"
#include "huge_buffer.hpp"
#include "simd.hpp"
#include "sageserve_native.h"
#include "thread_pool.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int threads = 2;
  int reps = 7;
  int32_t long_tokens = 262144;
};

template <typename F>
double seconds(F&& body) {
  const auto start = Clock::now();
  body();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

template <typename F>
double median_seconds(int reps, F&& body) {
  body();  // warm-up: page faults, thread start-up
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto start = Clock::now();
    body();
    t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

template <typename Buffer>
void fill_random(Buffer& v, uint64_t seed, ss::ThreadPool& pool) {
  const size_t n = v.size();
  const int parts = pool.size();
  pool.run([&](int w) {
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(w) + 1;
    const size_t lo = n * w / parts, hi = n * (w + 1) / parts;
    for (size_t i = lo; i < hi; ++i) {
      s ^= s << 13;
      s ^= s >> 7;
      s ^= s << 17;
      v[i] = static_cast<float>(static_cast<int64_t>(s >> 40) - (1 << 23)) / static_cast<float>(1 << 23);
    }
  });
}

// How many cores this process really gets right now: the same fixed compute-bound job on each thread,
// 1 thread's time over `threads` threads' time (2.0 = two idle cores; ~1.0 = other tenants use the second).
double effective_parallelism(int threads) {
  ss::ThreadPool pool(threads);
  auto spin = [](int) {
    volatile float x = 0.0f;
    for (int i = 0; i < 20000000; ++i) x = x + 1e-9f;
  };
  ss::ThreadPool single(1);
  const double one = median_seconds(3, [&] { single.run(spin); });
  const double all = median_seconds(3, [&] { pool.run(spin); });
  return threads * one / all;
}

// STREAM-style copy (a = b) and triad (a = b + s*c), each thread on its own slice; bytes counted as STREAM does.
void stream(int threads, int reps) {
  const size_t n = size_t{1} << 25;  // 32M floats = 128 MiB per array, far beyond the caches
  ss::ThreadPool pool(threads);
  ss::HugeBuffer a(n), b(n), c(n);  // same page size as the KV arrays
  fill_random(b, 1, pool);
  fill_random(c, 2, pool);
  fill_random(a, 3, pool);
  auto slice = [&](int w, size_t& lo, size_t& hi) {
    lo = n * w / threads;
    hi = n * (w + 1) / threads;
  };
  const double copy = median_seconds(reps, [&] {
    pool.run([&](int w) {
      size_t lo, hi;
      slice(w, lo, hi);
      std::memcpy(a.data() + lo, b.data() + lo, (hi - lo) * sizeof(float));
    });
  });
  const double triad = median_seconds(reps, [&] {
    pool.run([&](int w) {
      size_t lo, hi;
      slice(w, lo, hi);
      float* __restrict pa = a.data();
      const float* __restrict pb = b.data();
      const float* __restrict pc = c.data();
      for (size_t i = lo; i < hi; ++i) pa[i] = pb[i] + 3.0f * pc[i];
    });
  });
  // Read-only, two streams, like attention's K and V: no write-allocate traffic, so it can beat copy/triad.
  std::vector<float> sink(static_cast<size_t>(threads));
  const double read = median_seconds(reps, [&] {
    pool.run([&](int w) {
      size_t lo, hi;
      slice(w, lo, hi);
      sink[static_cast<size_t>(w)] = ss::simd::dot(b.data() + lo, c.data() + lo, hi - lo);
    });
  });
  std::printf("| STREAM copy  | %d thread%s | %8.2f GB/s |\n", threads, threads > 1 ? "s" : " ",
              2.0 * n * sizeof(float) / copy / 1e9);
  std::printf("| STREAM triad | %d thread%s | %8.2f GB/s |\n", threads, threads > 1 ? "s" : " ",
              3.0 * n * sizeof(float) / triad / 1e9);
  std::printf("| read 2 streams (dot) | %d thread%s | %8.2f GB/s |\n", threads, threads > 1 ? "s" : " ",
              2.0 * n * sizeof(float) / read / 1e9);
}

struct Case {
  std::string name;
  std::vector<int32_t> lens;
  int q_heads, kv_heads, head_dim;
};

// Two-pass softmax in double precision, to show how far each fp32 kernel is from the exact result.
std::vector<double> fp64_attention(const Case& c, const std::vector<float>& q, const std::vector<ss::HugeBuffer>& k,
                                   const std::vector<ss::HugeBuffer>& v) {
  const size_t d = static_cast<size_t>(c.head_dim);
  const int group = c.q_heads / c.kv_heads;
  std::vector<double> out(q.size());
  std::vector<double> scores, acc(d);
  for (size_t s = 0; s < c.lens.size(); ++s) {
    const size_t len = static_cast<size_t>(c.lens[s]);
    scores.resize(len);
    for (int h = 0; h < c.q_heads; ++h) {
      const float* qh = q.data() + (s * c.q_heads + h) * d;
      const size_t base = static_cast<size_t>(h / group) * len * d;
      double mx = -INFINITY, sum = 0;
      for (size_t t = 0; t < len; ++t) {
        double dot = 0;
        for (size_t i = 0; i < d; ++i) dot += static_cast<double>(qh[i]) * k[s][base + t * d + i];
        scores[t] = dot / std::sqrt(static_cast<double>(d));
        mx = std::max(mx, scores[t]);
      }
      std::fill(acc.begin(), acc.end(), 0.0);
      for (size_t t = 0; t < len; ++t) {
        const double p = std::exp(scores[t] - mx);
        sum += p;
        for (size_t i = 0; i < d; ++i) acc[i] += p * v[s][base + t * d + i];
      }
      for (size_t i = 0; i < d; ++i) out[(s * c.q_heads + h) * d + i] = acc[i] / sum;
    }
  }
  return out;
}

void run_case(const Case& c, const Options& o) {
  ss::DecodeAttention attn(o.threads);
  const size_t d = static_cast<size_t>(c.head_dim);
  std::vector<ss::HugeBuffer> k, v;
  std::vector<const float*> kp, vp;
  int64_t tokens = 0;
  for (size_t s = 0; s < c.lens.size(); ++s) {
    const size_t n = static_cast<size_t>(c.kv_heads) * c.lens[s] * d;
    k.emplace_back(n);
    v.emplace_back(n);
    fill_random(k.back(), 10 + 2 * s, attn.pool());
    fill_random(v.back(), 11 + 2 * s, attn.pool());
    kp.push_back(k.back().data());
    vp.push_back(v.back().data());
    tokens += c.lens[s];
  }
  std::vector<float> q(c.lens.size() * c.q_heads * d), out_ref(q.size()), out_split(q.size());
  fill_random(q, 5, attn.pool());
  ss::DecodeBatch b;
  b.num_seqs = static_cast<int32_t>(c.lens.size());
  b.q_heads = c.q_heads;
  b.kv_heads = c.kv_heads;
  b.head_dim = c.head_dim;
  b.kv_lens = c.lens.data();
  b.q = q.data();
  b.kv.k_seq = kp.data();
  b.kv.v_seq = vp.data();
  const double bytes = 2.0 * static_cast<double>(tokens) * c.kv_heads * d * sizeof(float);

  // Ceiling for this case: a plain streaming read (dot product of K with V, no softmax) of exactly these K/V
  // bytes on 1 and on all threads. A kernel cannot read faster than that; a speed-up above read_all / ref is
  // impossible however the work is split.
  ss::ThreadPool one(1);
  std::vector<float> sink(static_cast<size_t>(o.threads));
  auto read_kv = [&](ss::ThreadPool& pool) {
    const int parts = pool.size();
    pool.run([&](int w) {
      float acc = 0.0f;
      for (size_t s = 0; s < k.size(); ++s) {
        const size_t n = k[s].size();
        const size_t lo = n * w / parts / 16 * 16, hi = n * (w + 1) / parts / 16 * 16;
        acc += ss::simd::dot(k[s].data() + lo, v[s].data() + lo, hi - lo);
      }
      sink[static_cast<size_t>(w)] = acc;
    });
  };

  const double free_before = effective_parallelism(o.threads);
  // Alternate the four measurements so that all see the same background load (the machine is shared).
  ss::DecodeBatch br = b, bs = b;
  br.out = out_ref.data();
  bs.out = out_split.data();
  std::vector<double> ref_times, split_times, read1_times, readn_times;
  attn.reference(br);
  attn.split_kv(bs, 0);
  read_kv(one);
  read_kv(attn.pool());
  for (int i = 0; i < o.reps; ++i) {
    ref_times.push_back(seconds([&] { attn.reference(br); }));
    split_times.push_back(seconds([&] { attn.split_kv(bs, 0); }));
    read1_times.push_back(seconds([&] { read_kv(one); }));
    readn_times.push_back(seconds([&] { read_kv(attn.pool()); }));
  }
  const double free_after = effective_parallelism(o.threads);
  const double t_ref = median(ref_times);
  const double t_split = median(split_times);
  const double best_ref = *std::min_element(ref_times.begin(), ref_times.end());
  const double best_split = *std::min_element(split_times.begin(), split_times.end());
  // Each rep's reference and split calls run back to back, so their ratio cancels load that lasts longer
  // than ~30 ms; the median of those per-rep ratios is the least noisy speed-up estimate here.
  std::vector<double> paired;
  for (size_t i = 0; i < ref_times.size(); ++i) paired.push_back(ref_times[i] / split_times[i]);
  const double t_read1 = median(read1_times);
  const double t_readn = median(readn_times);
  const std::vector<double> exact = fp64_attention(c, q, k, v);
  auto err = [&](const std::vector<float>& got) {
    double diff = 0, scale = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      diff = std::max(diff, std::fabs(got[i] - exact[i]));
      scale = std::max(scale, std::fabs(exact[i]));
    }
    return diff / scale;
  };
  auto gbs = [&](double t) { return bytes / t / 1e9; };
  std::printf("| %-34s | %7.1f MB | %6.2f ms %5.1f GB/s (best %5.1f) | %6.2f ms %5.1f GB/s (best %5.1f) |"
              " **%4.2fx** (paired %4.2fx, best/best %4.2fx) | %5.1f / %5.1f GB/s | %4.2fx | %lld | %.1e / %.1e | %.2f / %.2f |\n",
              c.name.c_str(), bytes / 1e6, t_ref * 1e3, gbs(t_ref), gbs(best_ref), t_split * 1e3, gbs(t_split),
              gbs(best_split), t_ref / t_split, median(paired), best_ref / best_split, gbs(t_read1), gbs(t_readn), t_ref / t_readn,
              static_cast<long long>(attn.last_units()), err(out_ref), err(out_split), free_before, free_after);
  std::fflush(stdout);
}

// Decode-step latency of the worker engine (through the C ABI) against batch size and context length.
void engine_steps(const Options& o) {
  std::printf("\n| engine decode step (4 layers, 8 q / 2 kv heads, d64) | context 256 | context 2048 |\n|---|---|---|\n");
  for (int batch : {1, 8, 32}) {
    std::printf("| batch %2d |", batch);
    for (int context : {256, 2048}) {
      ss_engine_config c{};
      c.layers = 4;
      c.q_heads = 8;
      c.kv_heads = 2;
      c.head_dim = 64;
      c.max_kv_tokens = static_cast<int64_t>(batch) * (context + 64);
      c.page_size = 16;
      c.threads = o.threads;
      c.seed = 1;
      ss_engine* e = nullptr;
      if (ss_engine_create(&c, &e) != SS_OK) {
        std::fprintf(stderr, "engine: %s\n", ss_last_error());
        std::exit(1);
      }
      for (int i = 0; i < batch; ++i) ss_engine_admit(e, static_cast<uint64_t>(i), context, 40);
      ss_engine_step(e, nullptr);  // prefill
      const double t = median_seconds(o.reps, [&] { ss_engine_step(e, nullptr); });
      std::printf(" %8.2f ms |", t * 1e3);
      ss_engine_destroy(e);
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return std::atoi(argv[++i]);
    };
    if (arg == "--threads") {
      o.threads = value();
    } else if (arg == "--reps") {
      o.reps = value();
    } else if (arg == "--long-tokens") {
      o.long_tokens = value();
    } else {
      std::fprintf(stderr, "usage: sageserve-kernel-bench [--threads N] [--reps N] [--long-tokens N]\n");
      return 2;
    }
  }
  if (o.threads < 1 || o.reps < 1 || o.long_tokens < 1) {
    std::fprintf(stderr, "--threads, --reps and --long-tokens must be >= 1\n");
    return 2;
  }
  std::printf("sageserve-kernel-bench %s, simd=%s, threads=%d, median of %d runs\n", ss_version(),
              ss_simd_enabled() ? "avx2+fma" : "scalar", o.threads, o.reps);
  // Wall-clock numbers are only meaningful on an otherwise idle machine; say how idle it was.
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    char line[128] = {};
    if (std::fgets(line, sizeof line, f) != nullptr) std::printf("load average at start: %s", line);
    std::fclose(f);
  }
  std::printf("\n");

  std::printf("| memory        | threads   | bandwidth   |\n|---|---|---|\n");
  stream(1, o.reps);
  if (o.threads > 1) stream(o.threads, o.reps);

  // Mixed batch: 64 sequences, lengths log-uniform in 128..8192 (many short, a few long), seeded.
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> u(std::log(128.0), std::log(8192.0));
  std::vector<int32_t> mixed(64);
  for (auto& l : mixed) l = static_cast<int32_t>(std::exp(u(rng)));
  const std::string long_name = std::to_string(o.long_tokens / 1024) + "k x 1 seq";
  const std::vector<Case> cases = {
      {long_name + ", 1 q / 1 kv head, d128", {o.long_tokens}, 1, 1, 128},
      {long_name + ", 8 q / 1 kv head, d128", {o.long_tokens}, 8, 1, 128},
      {"64 seqs 128..8192, 32 q / 8 kv, d128", mixed, 32, 8, 128},
  };
  std::printf("\n| case | KV bytes | reference (median, best) | split-KV (median, best) |"
              " split / ref (median; median of per-rep ratios; best / best) | plain read of same KV, 1 / %d threads |"
              " speed-up ceiling (read %d thr / ref) | split units | error vs fp64 (ref / split) | cores free before / after |\n|---|---|---|---|---|---|---|---|---|---|\n",
              o.threads, o.threads);
  for (const Case& c : cases) run_case(c, o);
  engine_steps(o);
  return 0;
}
