// ONNX backend conformance: runs every test case of Debian's libonnx-testdata
// (node, pytorch-converted, pytorch-operator, simple) whose ops and element
// types are supported, at optimization levels 0 and 3, and compares with the
// expected outputs (rtol 1e-3, atol 1e-5). Cases with unsupported ops must be
// refused cleanly with an error naming the op and the node.
//
// Usage: onnx_conformance [--data DIR] [--filter SUBSTRING] [--verbose]
// Exit status: 0 when every selected case passes and every refusal is clean.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "driver/load_model.h"
#include "frontend/onnx_tensor.h"
#include "io/tensor_file.h"
#include "ir/error.h"
#include "lower/to_program.h"
#include "rknn/sim/error.h"
#include "rknn/sim/executor.h"

namespace fs = std::filesystem;
using namespace rknn;

namespace {

constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-5;
const char* const kCategories[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

enum class Outcome { kPass, kFail, kUnsupportedOp, kUnsupportedType, kUnsupportedFeature };

struct CaseResult {
  Outcome outcome = Outcome::kPass;
  std::string detail;
};

struct DataSet {
  std::vector<sim::Tensor> inputs;
  std::vector<sim::Tensor> outputs;
};

std::vector<sim::Tensor> read_pbs(const fs::path& dir, const std::string& prefix) {
  std::vector<sim::Tensor> tensors;
  for (int i = 0;; ++i) {
    const fs::path file = dir / (prefix + "_" + std::to_string(i) + ".pb");
    if (!fs::exists(file)) return tensors;
    tensors.push_back(io::read_tensor_pb(file));
  }
}

std::vector<fs::path> data_set_dirs(const fs::path& case_dir) {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(case_dir)) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_")) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

bool close_enough(const sim::Tensor& got, const sim::Tensor& want, std::string& why) {
  if (got.shape() != want.shape()) {
    why = "shape " + got.type().to_string() + ", expected " + want.type().to_string();
    return false;
  }
  if (got.dtype() != want.dtype()) {
    why = "type " + got.type().to_string() + ", expected " + want.type().to_string();
    return false;
  }
  const bool is_float = want.dtype() == sim::DType::kFloat32 || want.dtype() == sim::DType::kFloat16;
  if (!is_float) {
    if (!got.bytes_equal(want)) why = "integer values differ";
    return got.bytes_equal(want);
  }
  const auto g = got.to_float_vector();
  const auto w = want.to_float_vector();
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (std::isnan(w[i]) && std::isnan(g[i])) continue;
    if (std::isinf(w[i]) && g[i] == w[i]) continue;
    if (!(std::fabs(double(g[i]) - w[i]) <= kAtol + kRtol * std::fabs(double(w[i])))) {
      why = "element " + std::to_string(i) + " is " + std::to_string(g[i]) + ", expected " + std::to_string(w[i]);
      return false;
    }
  }
  return true;
}

// Parameter inputs shape the graph (Reshape shapes, Slice bounds, Resize
// scales): an NPU program has them fixed at compile time, so the harness binds
// them as constants. First integer inputs; if a node still asks for a
// constant, every input after the first.
enum class Binding { kIntegers, kAllButFirst };

bool bind_as_constant(const sim::Tensor& t, std::size_t index, Binding binding) {
  if (binding == Binding::kAllButFirst && index > 0) return true;
  return t.dtype() == sim::DType::kInt64 || t.dtype() == sim::DType::kInt32;
}

std::vector<sim::Tensor> run_once(const fs::path& model, const onnx::ModelProto& proto, const DataSet& data,
                                  int level, Binding binding) {
  driver::LoadOptions options;
  options.optimization_level = level;
  options.import.allow_old_opsets = true;
  std::vector<sim::Tensor> feeds;
  std::set<std::string> initializers;
  for (const auto& init : proto.graph().initializer()) initializers.insert(init.name());
  std::size_t k = 0;
  for (const auto& in : proto.graph().input()) {
    if (initializers.count(in.name())) continue;
    if (k >= data.inputs.size()) break;  // trailing optional inputs without data
    const std::size_t index = k;
    const sim::Tensor& t = data.inputs[k++];
    if (bind_as_constant(t, index, binding)) {
      options.import.constant_inputs.emplace(in.name(), t);
    } else {
      options.import.input_shapes[in.name()] = t.shape();
      feeds.push_back(t);
    }
  }
  driver::LoadedModel loaded = driver::load_model(model, options);
  sim::Executor executor(lower::to_program(loaded.graph));
  return executor.run(feeds);
}

CaseResult run_case(const fs::path& case_dir, const onnx::ModelProto& proto) {
  const fs::path model = case_dir / "model.onnx";
  for (const fs::path& dir : data_set_dirs(case_dir)) {
    DataSet data{read_pbs(dir, "input"), read_pbs(dir, "output")};
    for (int level : {0, 3}) {
      std::vector<sim::Tensor> got;
      try {
        try {
          got = run_once(model, proto, data, level, Binding::kIntegers);
        } catch (const UnsupportedFeatureError& e) {
          if (std::string(e.what()).find("must be a constant") == std::string::npos) throw;
          got = run_once(model, proto, data, level, Binding::kAllButFirst);
        }
      } catch (const UnsupportedFeatureError& e) {
        return {Outcome::kUnsupportedFeature, e.what()};
      } catch (const std::exception& e) {
        return {Outcome::kFail, "level " + std::to_string(level) + ": " + e.what()};
      }
      if (got.size() < data.outputs.size()) {
        return {Outcome::kFail, "produced " + std::to_string(got.size()) + " outputs"};
      }
      for (std::size_t i = 0; i < data.outputs.size(); ++i) {
        std::string why;
        if (!close_enough(got[i], data.outputs[i], why)) {
          return {Outcome::kFail, dir.filename().string() + " level " + std::to_string(level) + " output " +
                                      std::to_string(i) + ": " + why};
        }
      }
    }
  }
  return {};
}

// Unsupported ops must be refused with an error naming the op and its node.
CaseResult check_clean_refusal(const fs::path& case_dir, const std::vector<std::string>& ops) {
  try {
    driver::LoadOptions options;
    options.import.allow_old_opsets = true;
    driver::load_model(case_dir / "model.onnx", options);
  } catch (const std::exception& e) {
    const std::string message = e.what();
    for (const auto& op : ops) {
      if (message.find(op) != std::string::npos) return {Outcome::kUnsupportedOp, op};
    }
    // Dynamic shapes without data, or a checker refusal, are clean errors too.
    if (message.find("dynamic shape") != std::string::npos || message.find("ONNX") != std::string::npos ||
        message.find("opset") != std::string::npos) {
      return {Outcome::kUnsupportedOp, ops.front()};
    }
    return {Outcome::kFail, "unclean refusal: " + message};
  }
  return {Outcome::kFail, "model with unsupported op " + ops.front() + " was accepted"};
}

std::vector<std::string> unsupported_ops(const onnx::ModelProto& proto) {
  std::set<std::string> ops;
  for (const auto& node : proto.graph().node()) {
    if (!frontend::is_supported_op(node.domain(), node.op_type())) ops.insert(node.op_type());
  }
  return {ops.begin(), ops.end()};
}

bool has_unsupported_type(const onnx::ModelProto& proto, std::string& which) {
  auto check = [&](const onnx::ValueInfoProto& v) {
    const int t = v.type().tensor_type().elem_type();
    if (!v.type().has_tensor_type() || !frontend::dtype_from_onnx(t)) {
      which = v.name() + " is " + (v.type().has_tensor_type() ? frontend::onnx_type_name(t) : "not a tensor");
      return true;
    }
    return false;
  };
  for (const auto& v : proto.graph().input()) if (check(v)) return true;
  for (const auto& v : proto.graph().output()) if (check(v)) return true;
  for (const auto& init : proto.graph().initializer()) {
    if (!frontend::dtype_from_onnx(init.data_type())) {
      which = init.name() + " is " + frontend::onnx_type_name(init.data_type());
      return true;
    }
  }
  return false;
}

struct Tally {
  int pass = 0, fail = 0, unsupported_op = 0, unsupported_type = 0, unsupported_feature = 0;
  void add(Outcome o) {
    switch (o) {
      case Outcome::kPass: ++pass; break;
      case Outcome::kFail: ++fail; break;
      case Outcome::kUnsupportedOp: ++unsupported_op; break;
      case Outcome::kUnsupportedType: ++unsupported_type; break;
      case Outcome::kUnsupportedFeature: ++unsupported_feature; break;
    }
  }
  int selected() const { return pass + fail + unsupported_feature; }
};

void print_row(const std::string& name, const Tally& t) {
  std::cout << std::left << std::setw(26) << name << std::right << std::setw(7) << t.selected() << std::setw(7)
            << t.pass << std::setw(7) << t.fail << std::setw(9) << t.unsupported_feature << std::setw(8)
            << t.unsupported_op << std::setw(8) << t.unsupported_type << "\n";
}

void print_header(const std::string& first) {
  std::cout << std::left << std::setw(26) << first << std::right << std::setw(7) << "select" << std::setw(7)
            << "pass" << std::setw(7) << "fail" << std::setw(9) << "feature" << std::setw(8) << "no-op"
            << std::setw(8) << "no-type" << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  fs::path root = "/usr/share/libonnx-testdata/data";
  std::string filter;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) root = argv[++i];
    else if (arg == "--filter" && i + 1 < argc) filter = argv[++i];
    else if (arg == "--verbose") verbose = true;
    else {
      std::cerr << "usage: onnx_conformance [--data DIR] [--filter SUBSTRING] [--verbose]\n";
      return 2;
    }
  }
  if (!fs::is_directory(root)) {
    std::cerr << "onnx_conformance: test data folder '" << root.string() << "' not found (Debian package libonnx-testdata)\n";
    return 2;
  }

  std::map<std::string, Tally> by_category, by_op;
  std::vector<std::string> failures, features;
  for (const char* category : kCategories) {
    const fs::path dir = root / category;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (fs::exists(entry.path() / "model.onnx")) cases.push_back(entry.path());
    }
    std::sort(cases.begin(), cases.end());
    for (const fs::path& case_dir : cases) {
      const std::string name = std::string(category) + "/" + case_dir.filename().string();
      if (!filter.empty() && name.find(filter) == std::string::npos) continue;
      CaseResult result;
      onnx::ModelProto proto;
      std::set<std::string> case_ops;
      try {
        proto = frontend::read_onnx_model(case_dir / "model.onnx");
        for (const auto& node : proto.graph().node()) case_ops.insert(node.op_type());
        const auto missing = unsupported_ops(proto);
        std::string which;
        if (!missing.empty()) {
          result = check_clean_refusal(case_dir, missing);
        } else if (has_unsupported_type(proto, which)) {
          result = {Outcome::kUnsupportedType, which};
        } else {
          result = run_case(case_dir, proto);
        }
      } catch (const std::exception& e) {
        result = {Outcome::kFail, e.what()};
      }
      by_category[category].add(result.outcome);
      for (const auto& op : case_ops) by_op[op].add(result.outcome);
      if (result.outcome == Outcome::kFail) failures.push_back(name + ": " + result.detail);
      if (result.outcome == Outcome::kUnsupportedFeature) features.push_back(name + ": " + result.detail);
      if (verbose) std::cout << name << ": " << static_cast<int>(result.outcome) << " " << result.detail << "\n";
    }
  }

  std::cout << "\nper op (a case counts for every op it contains)\n";
  print_header("op");
  for (const auto& [op, tally] : by_op) print_row(op, tally);
  std::cout << "\nper category\n";
  print_header("category");
  Tally total;
  for (const auto& [category, t] : by_category) {
    print_row(category, t);
    total.pass += t.pass;
    total.fail += t.fail;
    total.unsupported_op += t.unsupported_op;
    total.unsupported_type += t.unsupported_type;
    total.unsupported_feature += t.unsupported_feature;
  }
  print_row("total", total);
  std::cout << "\nselect: every op and element type supported; feature: selected but refused for an\n"
               "attribute value or mode not implemented; no-op / no-type: not selected, refused cleanly.\n";
  if (!features.empty()) {
    std::cout << "\nunsupported features (" << features.size() << "):\n";
    for (const auto& f : features) std::cout << "  " << f << "\n";
  }
  if (!failures.empty()) {
    std::cout << "\nFAILURES (" << failures.size() << "):\n";
    for (const auto& f : failures) std::cout << "  " << f << "\n";
    return 1;
  }
  return 0;
}
