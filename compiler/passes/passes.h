// Graph passes. Each is a function IR -> IR (it rewrites the graph in place);
// pipeline.cpp lists them in order with the optimization level that enables
// them, as the RKNN config's optimization_level does (0: no rewriting).
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace rknn::passes {

void remove_identity(ir::Graph& graph);       // Identity and inference-mode Dropout
void fold_constants(ir::Graph& graph);        // nodes computable at compile time, incl. Shape sub-graphs
void fold_batch_norm(ir::Graph& graph);       // BatchNormalization into the preceding Conv/Gemm
void fold_scale_into_conv(ir::Graph& graph);  // per-channel Mul/Add by a constant into Conv
void fold_pad(ir::Graph& graph);              // constant Pad into Conv/AveragePool/MaxPool pads
void fuse_activation(ir::Graph& graph);       // Relu/Clip/LeakyRelu into Conv/Gemm
void remove_dead_nodes(ir::Graph& graph);     // nodes and values nothing reads

// Not part of the pipeline: run by the compile driver when asked for.
void extract_subgraph(ir::Graph& graph, const std::vector<std::string>& inputs,
                      const std::vector<std::string>& outputs);  // --inputs/--outputs
void round_to_float16(ir::Graph& graph);                         // float16 quantization

struct PassRecord {
  std::string name;
  std::size_t nodes_before = 0;
  std::size_t nodes_after = 0;
};

// Runs every pass enabled at `level` (0 to 3) in pipeline order, re-inferring
// shapes after each. Returns what each pass did, for the compile log.
std::vector<PassRecord> optimize(ir::Graph& graph, int level);

}  // namespace rknn::passes
