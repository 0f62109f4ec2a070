#include "server/run_queue.h"

namespace rknn::device {

RunQueue::RunQueue() : worker_([this] { loop(); }) {}

RunQueue::~RunQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void RunQueue::run(const std::function<void()>& job) {
  Job entry;
  entry.work = &job;
  std::unique_lock lock(mutex_);
  jobs_.push_back(&entry);
  wake_.notify_one();
  done_.wait(lock, [&] { return entry.done; });
}

void RunQueue::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left to run
    Job* job = jobs_.front();
    jobs_.pop_front();
    lock.unlock();
    (*job->work)();
    lock.lock();
    job->done = true;
    done_.notify_all();
  }
}

}  // namespace rknn::device
