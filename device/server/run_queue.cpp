#include "server/run_queue.h"

namespace rknn::device {

RunQueue::RunQueue(std::size_t hold) : hold_(hold), worker_([this] { loop(); }) {}

RunQueue::~RunQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void RunQueue::run(const std::function<bool()>& step, const std::function<void()>& queued) {
  Job entry;
  entry.step = &step;
  std::unique_lock lock(mutex_);
  jobs_.push_back(&entry);
  if (queued) queued();
  wake_.notify_one();
  done_.wait(lock, [&] { return entry.done; });
}

void RunQueue::run(const std::function<void()>& job) {
  run(std::function<bool()>([&job] {
    job();
    return false;
  }));
}

void RunQueue::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || (!jobs_.empty() && jobs_.size() >= hold_); });
    if (jobs_.empty()) return;  // stopping, and nothing left to run
    hold_ = 0;
    Job* job = jobs_.front();
    jobs_.pop_front();
    for (;;) {
      lock.unlock();
      const bool more = (*job->step)();
      lock.lock();
      if (!more) {
        job->done = true;
        done_.notify_all();
        break;
      }
      if (!jobs_.empty()) {  // yield to the work that arrived meanwhile
        jobs_.push_back(job);
        break;
      }
    }
  }
}

}  // namespace rknn::device
