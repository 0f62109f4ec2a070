// The simulator side of accuracy analysis: running the float golden program
// and the quantized program on one sample while keeping every intermediate
// tensor, and running one layer of the quantized program alone.
//
// Tensors of the two programs correspond by name: the quantizer keeps the
// names of activations and gives the values it adds (QuantizeLinear and
// DequantizeLinear outputs around float islands, quantized constants) new
// names, so a name the golden program also has is the same activation.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rknn/sim/executor.h"

namespace rknn::analysis {

// Real values of a program tensor's value: integer codes dequantized with
// the tensor's parameters (per channel along quant->axis), floats as they are.
std::vector<float> to_real(const sim::Tensor& value, const std::optional<sim::QuantParams>& quant);

// A real-valued tensor in the domain of `target`: integer codes by the
// real-to-code rule (round half to even, saturate) for quantized tensors,
// rounded to half for float16 programs, unchanged otherwise.
sim::Tensor to_domain(const sim::Tensor& real, const sim::ProgramTensor& target, bool float16);

// One run of a program on one sample, keeping every value.
class RecordedRun {
 public:
  RecordedRun(const sim::Program& program, std::vector<sim::Tensor> inputs, const sim::ExecutorOptions& options);

  const sim::Program& program() const { return program_; }
  // Index of the tensor with this name, if the program has one.
  std::optional<std::size_t> find(const std::string& name) const;
  // The value of an input, constant or node output in this run.
  const sim::Tensor& value(std::size_t tensor) const;

 private:
  const sim::Program& program_;
  std::vector<sim::Tensor> inputs_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::optional<std::size_t>> input_slot_;  // tensor -> position in inputs_
  sim::Executor executor_;
};

// Runs one layer of the quantized program alone: the part that computes the
// layer's outputs, i.e. the layer itself plus the Quantize/Dequantize nodes
// the quantizer put around it, found by walking back from the outputs to
// tensors the golden run also has. Those are fed with their golden values,
// brought into the quantized domain with their own parameters; values that
// are not activations (shapes, indices) are fed as constants, as the whole
// program knows them before running. The layer's nodes run through the
// simulator's executor like any program.
class LayerRunner {
 public:
  // Both must outlive the runner (its programs borrow the constants).
  LayerRunner(const sim::Program& quantized, const RecordedRun& golden, const sim::ExecutorOptions& options);

  // The real values of `outputs` (tensor indices of the quantized program).
  std::vector<std::vector<float>> run(std::span<const int> outputs) const;

 private:
  struct Segment {
    std::vector<std::size_t> nodes;     // in program order
    std::vector<std::size_t> boundary;  // tensors fed from the golden run
  };
  Segment segment(std::span<const int> outputs) const;

  const sim::Program& quantized_;
  const RecordedRun& golden_;
  sim::ExecutorOptions options_;
  std::vector<std::optional<std::size_t>> producer_;  // tensor -> node writing it
};

}  // namespace rknn::analysis
