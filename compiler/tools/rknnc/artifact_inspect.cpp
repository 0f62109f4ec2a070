// rknnc inspect NAME.rknn [--json]: the artifact's attributes.
#include "tools/rknnc/artifact_inspect.h"

#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "io/tensor_file.h"
#include "rknn/model_format.h"
#include "rknn/sim/json_text.h"

namespace rknn::cli {
namespace {

using sim::json_string;

const char* layout_name(format::Layout l) {
  switch (l) {
    case format::Layout::kNCHW: return "NCHW";
    case format::Layout::kNHWC: return "NHWC";
    case format::Layout::kUndefined: return "UNDEFINED";
  }
  return "?";
}

const char* quant_name(format::QuantType q) {
  switch (q) {
    case format::QuantType::kNone: return "NONE";
    case format::QuantType::kDynamicFixedPoint: return "DFP";
    case format::QuantType::kAffineAsymmetric: return "AFFINE_ASYMMETRIC";
  }
  return "?";
}

template <class T>
std::string json_list(const std::vector<T>& values) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  out << ']';
  return out.str();
}

std::string io_json(const format::IoInfo& io) {
  return "{\"name\":" + json_string(io.name) + ",\"dims\":" + json_list(io.dims) + ",\"fmt\":\"" +
         layout_name(io.fmt) + "\",\"type\":\"" + std::string(sim::dtype_name(io.type)) + "\",\"qnt_type\":\"" +
         quant_name(io.quant.type) + "\",\"fl\":" + std::to_string(io.quant.fl) +
         ",\"zero_point\":" + json_list(io.quant.zero_point) + ",\"scale\":" + json_list(io.quant.scale) + "}";
}

std::map<std::string, int> op_histogram(const sim::Program& p) {
  std::map<std::string, int> ops;
  for (const auto& n : p.nodes) ++ops[n.node.op];
  return ops;
}

// The envelope of an encrypted artifact, or "null".
std::string encryption_json(const encryption::Envelope* e) {
  if (!e) return "null";
  return "{\"level\":" + std::to_string(e->level) + ",\"protects\":" + json_string(encryption::level_name(e->level)) +
         ",\"cipher\":" + json_string(std::string(encryption::kCipher)) + ",\"key_id\":" + json_string(e->key_id) +
         ",\"plain_bytes\":" + std::to_string(e->plain_size) + "}";
}

// A pre-compiled model's program (docs/precompile.md): one entry per step.
struct StepSummary {
  std::string ops, names;
  std::size_t tiles = 0, kernels = 0;
  std::uint64_t footprint = 0;
  bool fits = true, direct = false;
};

std::vector<StepSummary> step_summaries(const format::LoadedModel& m) {
  std::vector<StepSummary> steps;
  for (const sim::PlannedStep& step : m.precompiled->steps) {
    StepSummary s{"", "", step.tiles.size(), step.kernels.size(), step.footprint, step.fits, step.direct};
    for (int n : step.nodes) {
      const sim::OpNode& node = m.program.nodes.at(static_cast<std::size_t>(n)).node;
      s.ops += (s.ops.empty() ? "" : "+") + node.op;
      s.names += (s.names.empty() ? "" : " ") + node.name;
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

std::string precompiled_json(const format::LoadedModel& m) {
  if (!m.precompiled) return "null";
  const sim::PlannedProgram& p = *m.precompiled;
  std::ostringstream out;
  out << "{\"platform\":" << json_string(p.platform) << ",\"version\":" << p.version
      << ",\"activation_bytes\":" << p.activation_bytes << ",\"scratch_bytes\":" << p.scratch_bytes
      << ",\"buffer_bytes\":" << p.buffer_bytes << ",\"steps\":[";
  const std::vector<StepSummary> steps = step_summaries(m);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const StepSummary& s = steps[k];
    out << (k ? "," : "") << "{\"ops\":" << json_string(s.ops) << ",\"nodes\":" << json_string(s.names)
        << ",\"tiles\":" << s.tiles << ",\"kernels\":" << s.kernels << ",\"footprint\":" << s.footprint
        << ",\"fits\":" << (s.fits ? "true" : "false") << ",\"direct\":" << (s.direct ? "true" : "false") << "}";
  }
  out << "]}";
  return out.str();
}

void print_precompiled(const format::LoadedModel& m) {
  if (!m.precompiled) return;
  const sim::PlannedProgram& p = *m.precompiled;
  const std::vector<StepSummary> steps = step_summaries(m);
  std::size_t fused = 0, tiles = 0;
  for (const StepSummary& s : steps) {
    fused += s.ops.find('+') != std::string::npos ? 1 : 0;
    tiles += s.tiles;
  }
  std::cout << "pre-compiled for " << p.platform << " (program format " << p.version << "): " << steps.size()
            << " steps, " << fused << " fused, " << tiles << " tiles\n  arena " << p.arena_bytes() << " bytes: "
            << p.activation_bytes << " activations + " << p.scratch_bytes << " scratch; on-chip buffer "
            << p.buffer_bytes << " bytes\n  step  tiles kernels footprint  ops (nodes)\n";
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const StepSummary& s = steps[k];
    std::cout << "  " << std::setw(4) << k << " " << std::setw(6) << s.tiles << " " << std::setw(7) << s.kernels << " "
              << std::setw(9) << s.footprint << "  " << s.ops << " (" << s.names << ")" << (s.direct ? " direct" : "")
              << (s.fits ? "" : " DOES NOT FIT") << "\n";
  }
}

void print_json(const format::LoadedModel& m, const encryption::Envelope* envelope) {
  const auto& i = m.info;
  std::ostringstream out;
  out << "{\"format_version\":" << i.format_version << ",\"compiler_version\":" << json_string(i.compiler_version)
      << ",\"platforms\":[";
  for (std::size_t k = 0; k < i.platforms.size(); ++k) out << (k ? "," : "") << json_string(i.platforms[k]);
  out << "],\"quantization\":" << json_string(i.quantization) << ",\"optimization_level\":" << i.optimization_level
      << ",\"weight_bytes\":" << m.weight_bytes << ",\"inputs\":[";
  for (std::size_t k = 0; k < i.inputs.size(); ++k) {
    const auto& p = i.preprocess[k];
    std::string io = io_json(i.inputs[k]);
    io.pop_back();
    out << (k ? "," : "") << io << ",\"mean\":" << json_list(p.mean) << ",\"std\":" << json_list(p.std)
        << ",\"reorder\":" << json_list(p.reorder) << "}";
  }
  out << "],\"outputs\":[";
  for (std::size_t k = 0; k < i.outputs.size(); ++k) out << (k ? "," : "") << io_json(i.outputs[k]);
  out << "],\"layers\":" << m.program.nodes.size() << ",\"ops\":{";
  bool first = true;
  for (const auto& [op, count] : op_histogram(m.program)) {
    out << (first ? "" : ",") << json_string(op) << ":" << count;
    first = false;
  }
  out << "},\"custom_string\":" << json_string(i.custom_string) << ",\"encryption\":" << encryption_json(envelope)
      << ",\"precompiled\":" << precompiled_json(m) << ",\"sync_after\":[";
  for (std::size_t k = 0; k < i.sync_after.size(); ++k) {
    out << (k ? "," : "") << json_string(m.program.nodes.at(static_cast<std::size_t>(i.sync_after[k])).node.name);
  }
  out << "]}\n";
  std::cout << out.str();
}

void print_io(const char* title, const std::vector<format::IoInfo>& ios, const std::vector<format::Preprocessing>* pre) {
  std::cout << title << ":\n";
  for (std::size_t k = 0; k < ios.size(); ++k) {
    const auto& io = ios[k];
    std::cout << "  " << k << " " << io.name << ": " << sim::dtype_name(io.type) << sim::shape_to_string(io.dims)
              << " " << layout_name(io.fmt) << " qnt=" << quant_name(io.quant.type) << "\n";
    if (pre && !(*pre)[k].empty()) {
      const auto& p = (*pre)[k];
      std::cout << "    mean " << json_list(p.mean) << " std " << json_list(p.std) << " reorder "
                << json_list(p.reorder) << "\n";
    }
  }
}

std::string encryption_text(const encryption::Envelope& e) {
  return "encryption: level " + std::to_string(e.level) + " (" + encryption::level_name(e.level) + "), " +
         std::string(encryption::kCipher) + ", key id " + e.key_id + ", " + std::to_string(e.plain_size) +
         " plain bytes\n";
}

// An encrypted artifact inspected without its key: what the envelope tells.
void print_envelope(const std::string& path, const encryption::Envelope& e, bool json) {
  if (json) {
    std::cout << "{\"encryption\":" << encryption_json(&e) << "}\n";
    return;
  }
  std::cout << "artifact: " << path << "\n" << encryption_text(e) << "(give --key-file or --key-env to see the model)\n";
}

void print_text(const std::string& path, const format::LoadedModel& m, const encryption::Envelope* envelope) {
  const auto& i = m.info;
  std::cout << "artifact: " << path << "\nformat version: " << i.format_version << "\ncompiler: " << i.compiler_version
            << "\nplatforms:";
  for (const auto& p : i.platforms) std::cout << " " << p;
  std::cout << "\nquantization: " << i.quantization << "\noptimization level: " << i.optimization_level
            << "\nweights: " << m.weight_bytes << " bytes\nlayers: " << m.program.nodes.size() << "\n";
  print_io("inputs", i.inputs, &i.preprocess);
  print_io("outputs", i.outputs, nullptr);
  std::cout << "ops:\n";
  for (const auto& [op, count] : op_histogram(m.program)) std::cout << "  " << op << " " << count << "\n";
  if (!i.custom_string.empty()) std::cout << "custom string: " << i.custom_string << "\n";
  if (!i.sync_after.empty()) {  // docs/protocol.md, "Segmented models"
    std::cout << "sync points (" << i.sync_after.size() + 1 << " segments): after";
    for (std::int32_t node : i.sync_after) {
      std::cout << " " << m.program.nodes.at(static_cast<std::size_t>(node)).node.name << " (layer " << node << ")";
    }
    std::cout << "\n";
  }
  if (envelope) std::cout << encryption_text(*envelope);
  print_precompiled(m);
}

}  // namespace

void inspect_artifact(const std::string& path, bool json, const encryption::KeySpec& key) {
  const sim::Tensor bytes = io::read_file_aligned(path);
  std::span<const std::byte> span{bytes.raw(), bytes.byte_size()};
  std::optional<encryption::Envelope> envelope;
  encryption::Decrypted plain;
  if (encryption::is_encrypted(span)) {
    envelope = encryption::read_envelope(span);
    if (!key.given()) {
      print_envelope(path, *envelope, json);
      return;
    }
    const encryption::SecretBytes secret = encryption::read_key(key, envelope->level);
    plain = encryption::decrypt_artifact(span, secret.span());
    span = plain.span();
  }
  const format::LoadedModel model = format::load_model(span);
  const encryption::Envelope* e = envelope ? &*envelope : nullptr;
  if (json) {
    print_json(model, e);
  } else {
    print_text(path, model, e);
  }
}

}  // namespace rknn::cli
