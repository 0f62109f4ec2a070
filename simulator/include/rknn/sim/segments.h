// A run split at sync points (ExecutorOptions::sync_after, RKNN
// export_rknn_sync_model): segment k covers the units [begin(k), end(k)) —
// nodes for the graph Executor, steps for the PlannedExecutor — and the
// segments of a run go strictly in order: start(), then enter(k)/leave() for
// k = 0 .. count() - 1, then the results.
#pragma once

#include <cstddef>
#include <vector>

namespace rknn::sim {

class Segments {
 public:
  // One segment over all `units`.
  explicit Segments(std::size_t units = 0) : ends_{units} {}
  // Segments ending after the given units (ascending, each below units - 1),
  // the last one ending at `units`. Throws Error otherwise, naming `what`.
  Segments(const std::vector<std::size_t>& last_units, std::size_t units, const char* what);

  std::size_t count() const { return ends_.size(); }
  std::size_t begin(std::size_t k) const { return k == 0 ? 0 : ends_[k - 1]; }
  std::size_t end(std::size_t k) const { return ends_[k]; }

  void start() { next_ = 0; }
  // Throws Error unless k is the next segment of a started run.
  void enter(std::size_t k) const;
  void leave() { ++next_; }
  // Every segment of the started run has run.
  bool finished() const { return next_ == count(); }

 private:
  std::vector<std::size_t> ends_;  // one past each segment's last unit
  std::size_t next_ = static_cast<std::size_t>(-1);  // no run started
};

}  // namespace rknn::sim
