// A fixed pool of worker threads with a deterministic split of work.
//
// Determinism rule: kernels parallelize only over independent outputs. Every
// output element is computed by exactly one task with the same sequence of
// floating-point operations whatever the split, so the result bytes do not
// depend on the number of threads. Reductions never cross task boundaries.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rknn::sim {

class ThreadPool {
 public:
  // threads <= 0 means "one per hardware thread".
  explicit ThreadPool(int threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int thread_count() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls body(begin, end) over [0, count) in contiguous ranges of at least
  // `grain` items; the calling thread takes part. Returns when all are done.
  void parallel_for(std::int64_t count, std::int64_t grain,
                    const std::function<void(std::int64_t, std::int64_t)>& body);

 private:
  void worker_loop();
  void run_tasks();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(std::int64_t, std::int64_t)>* body_ = nullptr;
  std::int64_t count_ = 0;
  std::int64_t chunk_ = 0;
  std::int64_t next_ = 0;
  int active_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace rknn::sim
