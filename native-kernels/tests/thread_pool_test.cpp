// The pool's hand-offs have two paths each (a bounded spin, then a condition variable); these tests drive
// both: a thread that waits longer than the spin window must still be woken, by a job or by completion.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "thread_pool.hpp"

namespace {

// Busy-waits (no sleep) for about `us` microseconds, long past the pool's 200 us spin window when us >= 2000.
void busy_for(int us) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  while (std::chrono::steady_clock::now() < end) {
  }
}

TEST(ThreadPool, ManyBackToBackRuns_EveryWorkerRunsEachJobOnce) {
  ss::ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(3);
  for (int i = 0; i < 2000; ++i) {
    pool.run([&](int w) { hits[static_cast<size_t>(w)].fetch_add(1); });
  }
  for (auto& h : hits) EXPECT_EQ(h.load(), 2000);
}

TEST(ThreadPool, WorkerIdlePastSpinWindow_IsWokenByNextRun) {
  ss::ThreadPool pool(2);
  std::atomic<int> worker_runs{0};
  for (int i = 0; i < 5; ++i) {
    busy_for(2000);  // the worker gives up spinning and blocks on the condition variable
    pool.run([&](int w) {
      if (w == 1) worker_runs.fetch_add(1);
    });
  }
  EXPECT_EQ(worker_runs.load(), 5);
}

TEST(ThreadPool, CallerWaitsPastSpinWindow_ReturnsOnlyAfterSlowWorker) {
  ss::ThreadPool pool(2);
  for (int i = 0; i < 3; ++i) {
    std::atomic<bool> finished{false};
    pool.run([&](int w) {
      if (w == 1) {
        busy_for(3000);  // the caller (worker 0) gives up spinning and blocks until this is done
        finished.store(true);
      }
    });
    EXPECT_TRUE(finished.load());
  }
}

TEST(ThreadPool, WorkerThrows_RunRethrowsAndPoolStaysUsable) {
  ss::ThreadPool pool(2);
  EXPECT_THROW(pool.run([](int w) {
                 if (w == 1) throw std::runtime_error("worker failed");
               }),
               std::runtime_error);
  std::atomic<int> ran{0};
  pool.run([&](int) { ran.fetch_add(1); });
  EXPECT_EQ(ran.load(), 2);
}

TEST(ThreadPool, ZeroThreads_ThrowsInvalidArgument) { EXPECT_THROW(ss::ThreadPool(0), std::invalid_argument); }

}  // namespace
