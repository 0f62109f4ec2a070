#include "precompile/program_view.h"

namespace rknn::precompile {

sim::Program borrowed_view(const sim::Program& program) {
  sim::Program view;
  view.tensors.reserve(program.tensors.size());
  for (const sim::ProgramTensor& t : program.tensors) {
    sim::ProgramTensor tensor;  // member by member: GCC bug 66139 with throwing aggregate initializers
    tensor.name = t.name;
    tensor.type = t.type;
    if (t.constant) tensor.constant = sim::Tensor::borrow(t.type, t.constant->raw());
    tensor.quant = t.quant;
    view.tensors.push_back(std::move(tensor));
  }
  view.nodes = program.nodes;
  view.inputs = program.inputs;
  view.outputs = program.outputs;
  return view;
}

}  // namespace rknn::precompile
