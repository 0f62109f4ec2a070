#include "rknn/sim/segments.h"

#include <string>

#include "rknn/sim/error.h"

namespace rknn::sim {

Segments::Segments(const std::vector<std::size_t>& last_units, std::size_t units, const char* what) {
  ends_.clear();
  for (std::size_t last : last_units) {
    if (last + 1 >= units || (!ends_.empty() && last + 1 <= ends_.back())) {
      throw Error("sync point after " + std::string(what) + " " + std::to_string(last) +
                  ": expected ascending indices below " + std::to_string(units > 0 ? units - 1 : 0));
    }
    ends_.push_back(last + 1);
  }
  ends_.push_back(units);
}

void Segments::enter(std::size_t k) const {
  if (k != next_ || k >= count()) {
    throw Error("segment " + std::to_string(k) + " of " + std::to_string(count()) +
                (next_ < count() ? ": the next one to run is " + std::to_string(next_) : ": no run started"));
  }
}

}  // namespace rknn::sim
