// Small helpers the fusion passes share.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ir/graph.h"

namespace rknn::passes {

// Producer and reader indices of every value, kept current while a pass
// rewrites nodes in one sweep.
struct UseMap {
  explicit UseMap(const ir::Graph& graph) : producers(graph.producers()), consumers(graph.consumers()) {}
  std::map<std::string, std::size_t> producers;
  std::map<std::string, std::vector<std::size_t>> consumers;
};

// The index of the node producing `node`'s input `input_index` when that node
// is one of `ops`, still alive, and `node` is the only reader of the value
// (which is not a graph output): the condition for merging the two nodes.
std::optional<std::size_t> sole_producer(const ir::Graph& graph, const UseMap& uses, const ir::Node& node,
                                         std::size_t input_index, std::initializer_list<std::string_view> ops);

// Makes `producer` write `node`'s first output in place of its own and marks
// `node` removed (op cleared); erase_removed() drops marked nodes.
void absorb(ir::Graph& graph, UseMap& uses, std::size_t producer, std::size_t node);
void erase_removed(ir::Graph& graph);

// The constant data of value `name`, or null if it is not a constant.
const sim::Tensor* constant_of(const ir::Graph& graph, const std::string& name);

// Per-channel view of a constant broadcast against an NCHW-like value of
// `channels` channels on axis 1: returns one factor per channel, or nothing
// if the constant varies along any other axis or would change the output shape.
std::optional<std::vector<float>> per_channel_values(const sim::Tensor& constant, std::size_t out_rank,
                                                     std::int64_t channels);

}  // namespace rknn::passes

namespace rknn::passes {

// Rewrites a Conv or Gemm with constant weights so that its output channel c
// becomes out[c] * scale[c] + shift[c]: weights scaled per output channel,
// bias = bias * scale + shift (a zero bias is added when absent). New
// constants are created, so weights shared with other nodes stay intact.
// Returns false (graph unchanged) if the node's weights or bias do not allow it.
bool scale_output_channels(ir::Graph& graph, ir::Node& node, const std::vector<float>& scale,
                           const std::vector<float>& shift);

// Output channels of a Conv (weights dim 0) or Gemm (N); nullopt if unknown.
std::optional<std::int64_t> output_channels(const ir::Graph& graph, const ir::Node& node);

}  // namespace rknn::passes
