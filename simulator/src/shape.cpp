#include "rknn/sim/shape.h"

#include <algorithm>

#include "rknn/sim/error.h"

namespace rknn::sim {

std::int64_t element_count(std::span<const std::int64_t> shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

std::string shape_to_string(std::span<const std::int64_t> shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::vector<std::int64_t> strides_of(std::span<const std::int64_t> shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

int normalize_axis(std::int64_t axis, std::size_t rank, const std::string& what) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    throw Error(what + ": axis " + std::to_string(axis) + " is out of range for rank " +
                std::to_string(rank));
  }
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

Shape broadcast_shapes(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                       const std::string& what) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      throw Error(what + ": shapes " + shape_to_string(a) + " and " + shape_to_string(b) +
                  " do not broadcast");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<std::int64_t> broadcast_strides(std::span<const std::int64_t> shape,
                                            std::span<const std::int64_t> out_shape) {
  std::vector<std::int64_t> result(out_shape.size(), 0);
  const std::vector<std::int64_t> own = strides_of(shape);
  const std::size_t offset = out_shape.size() - shape.size();
  for (std::size_t i = 0; i < shape.size(); ++i) {
    result[i + offset] = shape[i] == 1 ? 0 : own[i];
  }
  return result;
}

}  // namespace rknn::sim
