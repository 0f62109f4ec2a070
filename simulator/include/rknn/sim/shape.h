// Tensor shapes and the index arithmetic every kernel shares.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rknn::sim {

using Shape = std::vector<std::int64_t>;

std::int64_t element_count(std::span<const std::int64_t> shape);
std::string shape_to_string(std::span<const std::int64_t> shape);

// Row-major (C order) strides in elements.
std::vector<std::int64_t> strides_of(std::span<const std::int64_t> shape);

// Maps a possibly negative axis into [0, rank); throws Error naming `what`.
int normalize_axis(std::int64_t axis, std::size_t rank, const std::string& what);

// Numpy-style multidirectional broadcast of two shapes; throws Error naming `what`.
Shape broadcast_shapes(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                       const std::string& what);

// Strides of `shape` viewed as `out_shape` under broadcasting (0 on broadcast axes).
std::vector<std::int64_t> broadcast_strides(std::span<const std::int64_t> shape,
                                            std::span<const std::int64_t> out_shape);

}  // namespace rknn::sim
