#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "attention.hpp"
#include "simd.hpp"
#include "test_util.hpp"

using ss_test::DenseBatch;
using ss_test::make_batch;
using ss_test::relative_error;

namespace {

ss::DecodeBatch view(const DenseBatch& b, std::vector<float>& out) {
  out.assign(b.q.size(), std::numeric_limits<float>::quiet_NaN());  // NaN catches unwritten outputs
  ss::DecodeBatch d;
  d.num_seqs = static_cast<int32_t>(b.lens.size());
  d.q_heads = b.q_heads;
  d.kv_heads = b.kv_heads;
  d.head_dim = b.head_dim;
  d.kv_lens = b.lens.data();
  d.q = b.q.data();
  d.out = out.data();
  d.kv.k_seq = b.k_ptrs.data();
  d.kv.v_seq = b.v_ptrs.data();
  return d;
}

std::vector<float> run_reference(const DenseBatch& b, int threads) {
  std::vector<float> out;
  ss::DecodeAttention attn(threads);
  attn.reference(view(b, out));
  return out;
}

std::vector<float> run_split(const DenseBatch& b, int threads, int32_t unit) {
  std::vector<float> out;
  ss::DecodeAttention attn(threads);
  attn.split_kv(view(b, out), unit);
  return out;
}

struct SplitCase {
  std::string name;
  std::vector<int32_t> lens;
  int q_heads, kv_heads, head_dim;
  int32_t unit;  // 0 = auto
};

// Keeps test names and failure messages readable (gtest would otherwise hex-dump the struct).
void PrintTo(const SplitCase& c, std::ostream* os) { *os << c.name; }

std::vector<int32_t> random_lens(size_t n, int32_t lo, int32_t hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> u(lo, hi);
  std::vector<int32_t> lens(n);
  for (auto& l : lens) l = u(rng);
  return lens;
}

std::vector<SplitCase> split_cases() {
  std::vector<int32_t> long_among_short = random_lens(40, 1, 60, 7);
  long_among_short[17] = 20000;
  return {
      {"AllLengthOne", std::vector<int32_t>(9, 1), 4, 4, 64, 4},
      {"LengthOneUnitOne", {1}, 1, 1, 128, 1},
      {"LengthsNotDivisibleByUnit", random_lens(12, 1, 1000, 3), 4, 2, 64, 96},
      {"UnitOfOneToken", {5, 3, 7}, 2, 1, 32, 1},
      {"UnitLargerThanAllWork", {10, 20, 30}, 4, 2, 64, 100000},
      {"OneLongAmongManyShort", long_among_short, 8, 2, 64, 0},
      {"OneLongAmongManyShortSmallUnit", long_among_short, 8, 2, 64, 333},
      {"GqaGroupOf4", random_lens(6, 50, 700, 11), 32, 8, 128, 0},
      {"MultiQueryOneKvHead", random_lens(5, 100, 3000, 12), 8, 1, 128, 256},
      {"ZeroLengthSequencesMixedIn", {0, 17, 0, 129, 0}, 4, 2, 64, 16},
      {"HeadDimNotMultipleOf8", random_lens(4, 30, 300, 13), 6, 3, 20, 64},
  };
}

class SplitVsReference : public ::testing::TestWithParam<std::tuple<SplitCase, int>> {};

TEST_P(SplitVsReference, SplitKv_AnyCutAndThreads_MatchesReferenceWithin1e5) {
  const SplitCase& c = std::get<0>(GetParam());
  const int threads = std::get<1>(GetParam());
  const DenseBatch b = make_batch(c.lens, c.q_heads, c.kv_heads, c.head_dim, 1234);
  const auto ref = run_reference(b, threads);
  const auto split = run_split(b, threads, c.unit);
  for (float x : split) ASSERT_TRUE(std::isfinite(x));
  EXPECT_LE(relative_error(split, ref), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Cases, SplitVsReference, ::testing::Combine(::testing::ValuesIn(split_cases()),
                                                                     ::testing::Values(1, 2, 3)),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_Threads" +
                                  std::to_string(std::get<1>(info.param));
                         });

TEST(Reference, RandomBatch_MatchesNaiveDoublePrecision) {
  const DenseBatch b = make_batch({1, 7, 64, 65, 500}, 8, 2, 64, 99, 4.0f);
  EXPECT_LE(relative_error(run_reference(b, 2), ss_test::naive_attention(b)), 1e-5);
}

TEST(SplitKv, LargeScores_StaysFiniteAndMatchesNaive) {
  // Scores around +-100 would overflow exp() without the running max.
  const DenseBatch b = make_batch({300, 1000}, 2, 1, 64, 5, 100.0f);
  const auto split = run_split(b, 2, 128);
  for (float x : split) ASSERT_TRUE(std::isfinite(x));
  EXPECT_LE(relative_error(split, ss_test::naive_attention(b)), 1e-5);
}

TEST(SplitKv, UnitSpanningSequences_CutsUnitsIntoPiecesAtBoundaries) {
  const DenseBatch b = make_batch({10, 10, 10}, 1, 1, 16, 3);
  std::vector<float> out;
  ss::DecodeAttention attn(1);
  attn.split_kv(view(b, out), 15);  // units [0,15) [15,30): each crosses a sequence boundary
  EXPECT_EQ(attn.last_units(), 2);
  EXPECT_EQ(attn.last_pieces(), 4);
  EXPECT_LE(relative_error(out, run_reference(b, 1)), 1e-5);
}

TEST(SplitKv, AutoUnitOnOneLongSequence_CutsEqualUnitsAndMatchesReference) {
  // The benchmark's shape in miniature: one sequence, one kv head, fewer (sequence, head) pairs than threads.
  const int32_t len = 64 * 1024 + 5;  // not a multiple of the unit: the last unit is short
  const DenseBatch b = make_batch({len}, 8, 1, 64, 31);
  std::vector<float> out;
  ss::DecodeAttention attn(2);
  attn.split_kv(view(b, out), 0);
  const int32_t unit = ss::DecodeAttention::auto_unit_tokens(len, 2);
  EXPECT_EQ(attn.last_units(), (len + unit - 1) / unit);
  EXPECT_GE(attn.last_units(), 2 * 60);  // 64 per thread, fewer only by rounding the unit up to 16 tokens
  EXPECT_LE(attn.last_units(), 2 * 64);
  EXPECT_EQ(attn.last_pieces(), attn.last_units());  // one segment: every unit is one piece
  EXPECT_LE(relative_error(out, run_reference(b, 2)), 1e-5);
}

TEST(SplitKv, DifferentThreadCounts_BitwiseIdenticalForSameUnit) {
  const DenseBatch b = make_batch(random_lens(20, 1, 2000, 21), 8, 4, 64, 8);
  const auto one = run_split(b, 1, 100);
  const auto three = run_split(b, 3, 100);
  EXPECT_EQ(one, three);
}

TEST(SplitKv, RepeatedCallsOnOneContext_ReuseScratchCorrectly) {
  ss::DecodeAttention attn(2);
  for (uint32_t seed = 0; seed < 4; ++seed) {
    const DenseBatch b = make_batch(random_lens(3 + seed * 5, 1, 900, seed), 4, 2, 32, seed);
    std::vector<float> out;
    attn.split_kv(view(b, out), 64);
    EXPECT_LE(relative_error(out, run_reference(b, 1)), 1e-5) << "seed " << seed;
  }
}

TEST(SplitKv, PagedSourceWithShuffledPages_MatchesDenseReference) {
  const int kvh = 2, d = 32, ps = 16;
  const DenseBatch b = make_batch({1, 16, 17, 100, 250}, 4, kvh, d, 17);
  std::vector<std::vector<int32_t>> tables;
  int32_t pages = 0;
  for (int32_t len : b.lens) {
    tables.emplace_back();
    for (int32_t t = 0; t < len; t += ps) tables.back().push_back(pages++);
  }
  std::vector<int32_t> perm(static_cast<size_t>(pages));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), std::mt19937(4));
  std::vector<float> kp(static_cast<size_t>(pages) * kvh * ps * d), vp(kp.size());
  std::vector<const int32_t*> table_ptrs;
  for (size_t s = 0; s < b.lens.size(); ++s) {
    for (auto& p : tables[s]) p = perm[static_cast<size_t>(p)];
    table_ptrs.push_back(tables[s].data());
    for (int h = 0; h < kvh; ++h) {
      for (int32_t t = 0; t < b.lens[s]; ++t) {
        const size_t dst = ((static_cast<size_t>(tables[s][t / ps]) * kvh + h) * ps + t % ps) * d;
        const size_t src = (static_cast<size_t>(h) * b.lens[s] + t) * d;
        std::copy_n(b.k[s].data() + src, d, kp.data() + dst);
        std::copy_n(b.v[s].data() + src, d, vp.data() + dst);
      }
    }
  }
  std::vector<float> out;
  ss::DecodeBatch paged = view(b, out);
  paged.kv = ss::KvSource{};
  paged.kv.k_pool = kp.data();
  paged.kv.v_pool = vp.data();
  paged.kv.block_tables = table_ptrs.data();
  paged.kv.page_size = ps;
  ss::DecodeAttention attn(2);
  attn.split_kv(paged, 40);
  EXPECT_LE(relative_error(out, run_reference(b, 1)), 1e-5);
}

TEST(SplitKv, MalformedBatch_ThrowsInvalidArgument) {
  DenseBatch b = make_batch({4}, 3, 2, 8, 1);  // 3 q heads cannot share 2 kv heads
  std::vector<float> out;
  ss::DecodeAttention attn(1);
  EXPECT_THROW(attn.split_kv(view(b, out), 0), std::invalid_argument);
  EXPECT_THROW(attn.reference(view(b, out)), std::invalid_argument);
}

// ---- the merge rule --------------------------------------------------------------------------------------

class Merge : public ::testing::Test {
 protected:
  static constexpr int kGroup = 3, kDim = 24;
  void SetUp() override {
    b_ = make_batch({90}, kGroup, 1, kDim, 77, 6.0f);
    scale_ = 1.0f / std::sqrt(static_cast<float>(kDim));
    scores_.resize(kGroup * 64);
  }
  std::vector<float> partial_of(int32_t t0, int32_t t1) {
    std::vector<float> p(ss::softmax::partial_floats(kGroup, kDim));
    ss::softmax::init(p.data(), kGroup, kDim);
    for (int32_t t = t0; t < t1; t += 64) {
      const int n = std::min<int32_t>(64, t1 - t);
      ss::softmax::accumulate_block(p.data(), b_.q.data(), kGroup, kDim, scale_, b_.k[0].data() + t * kDim,
                                    b_.v[0].data() + t * kDim, n, scores_.data());
    }
    return p;
  }
  std::vector<float> finalized(std::vector<float> p) {
    std::vector<float> out(kGroup * kDim);
    ss::softmax::finalize(p.data(), out.data(), kGroup, kDim);
    return out;
  }
  DenseBatch b_;
  float scale_ = 0;
  std::vector<float> scores_;
};

TEST_F(Merge, ThreeRanges_LeftAndRightAssociationAgreeWithWholeRange) {
  const auto a = partial_of(0, 13), b = partial_of(13, 50), c = partial_of(50, 90);
  auto left = a;  // (a + b) + c
  ss::softmax::merge(left.data(), b.data(), kGroup, kDim);
  ss::softmax::merge(left.data(), c.data(), kGroup, kDim);
  auto bc = b;  // a + (b + c)
  ss::softmax::merge(bc.data(), c.data(), kGroup, kDim);
  auto right = a;
  ss::softmax::merge(right.data(), bc.data(), kGroup, kDim);
  const auto whole = finalized(partial_of(0, 90));
  EXPECT_LE(relative_error(finalized(left), finalized(right)), 1e-6);
  EXPECT_LE(relative_error(finalized(left), whole), 1e-6);
  EXPECT_LE(relative_error(whole, ss_test::naive_attention(b_)), 1e-5);
}

TEST_F(Merge, EmptyPartial_IsIdentityOnBothSides) {
  const auto a = partial_of(5, 40);
  std::vector<float> empty(a.size());
  ss::softmax::init(empty.data(), kGroup, kDim);
  auto lhs = empty;
  ss::softmax::merge(lhs.data(), a.data(), kGroup, kDim);
  auto rhs = a;
  ss::softmax::merge(rhs.data(), empty.data(), kGroup, kDim);
  EXPECT_EQ(lhs, a);
  EXPECT_EQ(rhs, a);
  auto both_empty = empty;
  ss::softmax::merge(both_empty.data(), empty.data(), kGroup, kDim);
  EXPECT_EQ(finalized(both_empty), std::vector<float>(kGroup * kDim, 0.0f));
}

TEST(AutoUnit, Sizes_AreMultiplesOf16AndAtLeast256) {
  EXPECT_EQ(ss::DecodeAttention::auto_unit_tokens(10, 2), 256);
  EXPECT_EQ(ss::DecodeAttention::auto_unit_tokens(262144, 2), 2048);  // 64 units per thread
  EXPECT_EQ(ss::DecodeAttention::auto_unit_tokens(262144 + 1, 2), 2064);  // rounded up: never 129 units
  EXPECT_EQ(ss::DecodeAttention::auto_unit_tokens(100001, 3) % 16, 0);
}

}  // namespace

TEST(Simd, ExpShiftedSum_MatchesStdExpToAFewUlp) {
  std::vector<float> s;
  for (int i = 0; i <= 20000; ++i) s.push_back(-100.0f + 0.005f * static_cast<float>(i));  // -100 .. 0
  s.push_back(0.0f);
  s.push_back(-1e-7f);
  const float m = 0.5f;
  for (float& x : s) x += m;  // exercise the shift
  std::vector<float> got = s;
  const float sum = ss::simd::exp_shifted_sum(got.data(), got.size(), m);
  double expected_sum = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const double want = std::exp(static_cast<double>(s[i]) - m);
    expected_sum += want;
    if (want > 1e-30) {
      ASSERT_NEAR(got[i], want, 4e-7 * want) << "at x = " << s[i] - m;
    } else {
      ASSERT_LT(got[i], 1e-30f) << "at x = " << s[i] - m;
    }
  }
  EXPECT_NEAR(sum, expected_sum, 1e-6 * expected_sum);
}
