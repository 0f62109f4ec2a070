// The agent's command queue, like the NPU's: runs from every client execute
// one at a time on one thread, in the order they were submitted. A run of a
// segmented model (sync points, docs/protocol.md) is a job of several steps:
// between two steps it goes to the back of the queue when other jobs are
// waiting, so concurrently loaded models interleave segment by segment.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace rknn::device {

class RunQueue {
 public:
  // `hold` (rknn_server --hold-queue, for tests): nothing runs until `hold`
  // jobs are waiting, once; a test thereby queues several runs before the
  // first one starts, and the order they run in no longer depends on timing.
  explicit RunQueue(std::size_t hold = 0);
  ~RunQueue();  // finishes the queued jobs, then stops the thread
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Runs `step` on the queue's thread, after every job submitted before it,
  // until it returns false (the job is done), then returns. When it returns
  // true and other jobs are waiting, the job yields: it goes to the back of
  // the queue. `queued`, if given, is called once the job is in the queue
  // (under the queue's lock: it must be quick and must not use the queue).
  // Neither may throw.
  void run(const std::function<bool()>& step, const std::function<void()>& queued = {});
  // A job of one step.
  void run(const std::function<void()>& job);

 private:
  struct Job {
    const std::function<bool()>* step = nullptr;
    bool done = false;
  };
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;  // new job or stopping
  std::condition_variable done_;  // a job finished
  std::deque<Job*> jobs_;
  std::size_t hold_ = 0;
  bool stopping_ = false;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace rknn::device
