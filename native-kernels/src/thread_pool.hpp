// A small persistent thread pool: run(fn) calls fn(worker_index) once on each of the pool's threads (the
// caller is worker 0) and returns when all have finished. Work distribution is the caller's business.
//
// Hand-offs spin briefly before falling back to a condition variable: waking a sleeping thread costs ~50 us
// on this kind of VM (futex + IPI to a halted vCPU), which is 0.5-1% of a 5-10 ms attention call and most of
// a short one (an engine step makes several back-to-back calls). The spin is bounded (kSpin) so an idle
// pool does not keep burning a shared core.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ss {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Rethrows the first exception thrown by fn on any thread, after all threads are done.
  void run(const std::function<void(int)>& fn);

 private:
  void worker_loop(int index);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  // job_ is written before generation_ is released and read after it is acquired; run() does not return
  // (so job_ is not rewritten) until every worker has decremented pending_.
  const std::function<void(int)>* job_ = nullptr;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  std::exception_ptr error_;  // guarded by mutex_
};

}  // namespace ss
