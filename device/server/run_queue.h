// The agent's command queue, like the NPU's: runs from every client execute
// one at a time on one thread, in the order they were submitted.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace rknn::device {

class RunQueue {
 public:
  RunQueue();
  ~RunQueue();  // finishes the queued jobs, then stops the thread
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Runs `job` on the queue's thread after every job submitted before it and
  // returns once it has run. `job` must not throw.
  void run(const std::function<void()>& job);

 private:
  struct Job {
    const std::function<void()>* work = nullptr;
    bool done = false;
  };
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;  // new job or stopping
  std::condition_variable done_;  // a job finished
  std::deque<Job*> jobs_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace rknn::device
