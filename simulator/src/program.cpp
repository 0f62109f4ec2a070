#include "rknn/sim/program.h"

#include "rknn/sim/error.h"

namespace rknn::sim {

void check_run_inputs(const Program& program, std::span<const Tensor> inputs) {
  if (inputs.size() != program.inputs.size()) {
    throw Error("program expects " + std::to_string(program.inputs.size()) + " inputs, got " +
                std::to_string(inputs.size()));
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ProgramTensor& expected = program.tensors.at(static_cast<std::size_t>(program.inputs[i]));
    if (!(inputs[i].type() == expected.type)) {
      throw Error("input '" + expected.name + "' must be " + expected.type.to_string() + ", got " +
                  inputs[i].type().to_string());
    }
  }
}

}  // namespace rknn::sim
