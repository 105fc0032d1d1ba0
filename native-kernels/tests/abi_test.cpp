// Tests through the shared library's C ABI only (what the C# worker driver sees).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sageserve_native.h"
#include "test_util.hpp"

namespace {

ss_engine_config small_config(int64_t max_kv_tokens) {
  ss_engine_config c{};
  c.layers = 2;
  c.q_heads = 4;
  c.kv_heads = 2;
  c.head_dim = 32;
  c.max_kv_tokens = max_kv_tokens;
  c.page_size = 16;
  c.threads = 2;
  c.seed = 42;
  return c;
}

class EngineAbi : public ::testing::Test {
 protected:
  void create(const ss_engine_config& c) { ASSERT_EQ(ss_engine_create(&c, &engine_), SS_OK) << ss_last_error(); }
  void TearDown() override { EXPECT_EQ(ss_engine_destroy(engine_), SS_OK); }
  ss_engine_stats stats() {
    ss_engine_stats s{};
    EXPECT_EQ(ss_engine_stats_get(engine_, &s), SS_OK);
    return s;
  }
  ss_step_info step() {
    ss_step_info info{};
    EXPECT_EQ(ss_engine_step(engine_, &info), SS_OK) << ss_last_error();
    return info;
  }
  std::vector<uint64_t> take_completed() {
    std::vector<uint64_t> ids(64);
    int32_t n = -1;
    EXPECT_EQ(ss_engine_take_completed(engine_, ids.data(), 64, &n), SS_OK);
    ids.resize(static_cast<size_t>(n));
    return ids;
  }
  ss_engine* engine_ = nullptr;
};

TEST_F(EngineAbi, AdmitStepComplete_RunsToOutputLengthAndFreesPages) {
  create(small_config(1024));  // 64 pages
  ASSERT_EQ(ss_engine_admit(engine_, 7, 40, 3), SS_OK);   // 43 tokens -> 3 pages
  ASSERT_EQ(ss_engine_admit(engine_, 8, 100, 5), SS_OK);  // 105 tokens -> 7 pages
  ss_engine_stats s = stats();
  EXPECT_EQ(s.queued, 2);
  EXPECT_EQ(s.running, 0);
  EXPECT_EQ(s.free_pages, 54);
  EXPECT_DOUBLE_EQ(s.kv_utilisation, 10.0 / 64.0);

  ss_step_info info = step();  // prefill both: first token each
  EXPECT_EQ(info.prefilled, 2);
  EXPECT_EQ(info.decoded, 0);
  EXPECT_EQ(info.prefill_tokens, 140);
  EXPECT_EQ(info.running, 2);
  EXPECT_EQ(info.kv_rows_read, 0);
  info = step();  // 7: 2 tokens, 8: 2 tokens
  // Each sequence attends over its prompt plus the token being decoded, in 2 layers x 2 kv heads.
  EXPECT_EQ(info.kv_rows_read, (41 + 101) * 2 * 2);
  info = step();  // 7 reaches 3
  EXPECT_EQ(info.decoded, 2);
  EXPECT_EQ(info.completed, 1);
  EXPECT_EQ(take_completed(), std::vector<uint64_t>{7});
  EXPECT_EQ(stats().free_pages, 57);
  step();
  info = step();  // 8 reaches 5
  EXPECT_EQ(info.completed, 1);
  EXPECT_EQ(take_completed(), std::vector<uint64_t>{8});

  s = stats();
  EXPECT_EQ(s.running, 0);
  EXPECT_EQ(s.queued, 0);
  EXPECT_EQ(s.free_pages, 64);
  EXPECT_DOUBLE_EQ(s.kv_utilisation, 0.0);
  EXPECT_EQ(s.tokens_generated, 8);
  EXPECT_EQ(s.completed, 2);
  EXPECT_EQ(s.steps, 5);
  EXPECT_TRUE(take_completed().empty());
}

TEST_F(EngineAbi, Admit_WhenKvFull_RefusesCleanlyAndAcceptsAfterCompletion) {
  create(small_config(160));  // 10 pages
  ASSERT_EQ(ss_engine_admit(engine_, 1, 100, 20), SS_OK);  // 8 pages
  const ss_engine_stats before = stats();
  EXPECT_EQ(ss_engine_admit(engine_, 2, 40, 10), SS_ERR_KV_FULL);  // 4 pages > 2 free
  EXPECT_NE(std::string(ss_last_error()).find("needs 4 KV pages, 2 of 10 are free"), std::string::npos)
      << ss_last_error();
  const ss_engine_stats after = stats();
  EXPECT_EQ(after.free_pages, before.free_pages);
  EXPECT_EQ(after.queued, 1);
  ASSERT_EQ(ss_engine_admit(engine_, 3, 16, 16), SS_OK);  // exactly the 2 free pages
  EXPECT_EQ(stats().free_pages, 0);
  EXPECT_DOUBLE_EQ(stats().kv_utilisation, 1.0);
  EXPECT_EQ(ss_engine_admit(engine_, 2, 1, 1), SS_ERR_KV_FULL);
  while (stats().completed < 2) step();
  EXPECT_EQ(ss_engine_admit(engine_, 2, 40, 10), SS_OK);
}

TEST_F(EngineAbi, PagesNeeded_RoundsPromptPlusOutputUpToPages) {
  create(small_config(1024));
  int64_t pages = 0;
  ASSERT_EQ(ss_engine_pages_needed(engine_, 16, 1, &pages), SS_OK);
  EXPECT_EQ(pages, 2);
  ASSERT_EQ(ss_engine_pages_needed(engine_, 10, 6, &pages), SS_OK);
  EXPECT_EQ(pages, 1);
}

TEST_F(EngineAbi, Release_QueuedOrRunning_FreesPagesAndForgetsRequest) {
  create(small_config(1024));
  ASSERT_EQ(ss_engine_admit(engine_, 1, 50, 100), SS_OK);
  step();
  ASSERT_EQ(ss_engine_admit(engine_, 2, 50, 100), SS_OK);
  EXPECT_EQ(stats().running, 1);
  EXPECT_EQ(stats().queued, 1);
  EXPECT_EQ(ss_engine_release(engine_, 1), SS_OK);
  EXPECT_EQ(ss_engine_release(engine_, 2), SS_OK);
  const ss_engine_stats s = stats();
  EXPECT_EQ(s.running + s.queued, 0);
  EXPECT_EQ(s.free_pages, s.total_pages);
  EXPECT_EQ(ss_engine_release(engine_, 1), SS_ERR_NOT_FOUND);
  const ss_step_info info = step();
  EXPECT_EQ(info.prefilled + info.decoded, 0);
  EXPECT_TRUE(take_completed().empty());
}

TEST_F(EngineAbi, Admit_DuplicateOrBadSizes_ReturnsErrorCodes) {
  create(small_config(1024));
  ASSERT_EQ(ss_engine_admit(engine_, 5, 10, 10), SS_OK);
  EXPECT_EQ(ss_engine_admit(engine_, 5, 10, 10), SS_ERR_DUPLICATE);
  EXPECT_EQ(ss_engine_admit(engine_, 6, 0, 10), SS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(ss_engine_admit(engine_, 6, 10, -1), SS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(stats().queued, 1);
}

TEST_F(EngineAbi, MaxRunning_KeepsExtraRequestsQueued) {
  ss_engine_config c = small_config(4096);
  c.max_running = 2;
  create(c);
  for (uint64_t id = 1; id <= 3; ++id) ASSERT_EQ(ss_engine_admit(engine_, id, 20, 4), SS_OK);
  EXPECT_EQ(step().prefilled, 2);
  EXPECT_EQ(stats().queued, 1);
  EXPECT_EQ(stats().running, 2);
  std::vector<uint64_t> done;
  for (int i = 0; i < 10 && stats().completed < 3; ++i) {
    step();
    for (uint64_t id : take_completed()) done.push_back(id);
  }
  EXPECT_EQ(done, (std::vector<uint64_t>{1, 2, 3}));
}

TEST_F(EngineAbi, ManySequences_AllCompleteAndEveryPageReturns) {
  ss_engine_config c = small_config(16 * 200);
  c.threads = 3;
  create(c);
  uint64_t next_id = 1;
  int64_t expected_tokens = 0;
  for (int round = 0; round < 30; ++round) {
    for (int k = 0; k < 3; ++k) {
      const int32_t prompt = 1 + static_cast<int32_t>((next_id * 37) % 300);
      const int32_t out = 1 + static_cast<int32_t>((next_id * 11) % 20);
      if (ss_engine_admit(engine_, next_id, prompt, out) == SS_OK) expected_tokens += out;
      ++next_id;
    }
    step();
  }
  while (stats().running + stats().queued > 0) step();
  const ss_engine_stats s = stats();
  EXPECT_EQ(s.free_pages, s.total_pages);
  EXPECT_EQ(s.tokens_generated, expected_tokens);
}

TEST(EngineAbiCreate, InvalidConfig_ReturnsInvalidArgumentWithMessage) {
  ss_engine_config c = small_config(1024);
  c.q_heads = 3;  // not a multiple of kv_heads = 2
  ss_engine* e = reinterpret_cast<ss_engine*>(1);
  EXPECT_EQ(ss_engine_create(&c, &e), SS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  EXPECT_NE(std::string(ss_last_error()).find("q_heads (3)"), std::string::npos) << ss_last_error();
  c = small_config(8);  // less than one page
  EXPECT_EQ(ss_engine_create(&c, &e), SS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(ss_engine_create(nullptr, &e), SS_ERR_INVALID_ARGUMENT);
  c = small_config(int64_t{1} << 34);  // 2^30 pages, ~4 TB of KV: more than any test machine has
  EXPECT_EQ(ss_engine_create(&c, &e), SS_ERR_OUT_OF_MEMORY);
  EXPECT_NE(std::string(ss_last_error()).find("MB of RAM"), std::string::npos) << ss_last_error();
  EXPECT_EQ(ss_engine_step(nullptr, nullptr), SS_ERR_INVALID_ARGUMENT);
}

TEST(AttentionAbi, SplitAndReference_AgreeThroughTheAbi) {
  const auto b = ss_test::make_batch({1, 300, 4097, 2}, 8, 2, 64, 31);
  ss_attention* ctx = nullptr;
  ASSERT_EQ(ss_attention_create(2, &ctx), SS_OK);
  ss_attention_shape shape{4, 8, 2, 64, 0};
  std::vector<float> ref(b.q.size()), split(b.q.size());
  ASSERT_EQ(ss_attention_decode(ctx, SS_ATTN_REFERENCE, &shape, b.lens.data(), b.q.data(), b.k_ptrs.data(),
                                b.v_ptrs.data(), ref.data()),
            SS_OK);
  shape.unit_tokens = 100;
  ASSERT_EQ(ss_attention_decode(ctx, SS_ATTN_SPLIT_KV, &shape, b.lens.data(), b.q.data(), b.k_ptrs.data(),
                                b.v_ptrs.data(), split.data()),
            SS_OK);
  EXPECT_LE(ss_test::relative_error(split, ref), 1e-5);
  EXPECT_LE(ss_test::relative_error(ref, ss_test::naive_attention(b)), 1e-5);
  EXPECT_EQ(ss_attention_destroy(ctx), SS_OK);
}

TEST(AttentionAbi, BadShape_ReturnsInvalidArgumentNotException) {
  ss_attention* ctx = nullptr;
  ASSERT_EQ(ss_attention_create(1, &ctx), SS_OK);
  ss_attention_shape shape{1, 4, 3, 64, 0};
  int32_t len = 1;
  float q[256] = {}, out[256] = {};
  const float* kv[1] = {q};
  EXPECT_EQ(ss_attention_decode(ctx, SS_ATTN_SPLIT_KV, &shape, &len, q, kv, kv, out), SS_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(ss_last_error()).find("kv_heads"), std::string::npos);
  EXPECT_EQ(ss_attention_destroy(ctx), SS_OK);
  EXPECT_EQ(ss_attention_create(0, &ctx), SS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
}

}  // namespace
