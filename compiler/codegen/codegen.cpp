// Text generation for NAME.rknn.hpp / NAME.rknn.cpp. Everything written here
// depends only on ModelInfo and the options: numbers go through std::to_chars
// (locale-free, shortest round-trip form), strings are escaped, no paths.
#include "codegen/codegen.h"

#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>
#include <system_error>

namespace rknn::codegen {
namespace {

// C++20 keywords and alternative tokens, plus names that common headers or
// GNU dialects define as macros (a member called `errno` or `linux` would not
// compile).
constexpr std::string_view kReserved[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const",
    "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await", "co_return",
    "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int",
    "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
    "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch",
    "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    "final", "override", "import", "module",
    // macros
    "errno", "assert", "NULL", "EOF", "stdin", "stdout", "stderr", "offsetof", "linux", "unix",
    "i386", "BUFSIZ", "FILENAME_MAX", "RAND_MAX", "EXIT_SUCCESS", "EXIT_FAILURE", "CHAR_BIT"};

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

bool is_reserved(std::string_view name) {
  for (auto r : kReserved) {
    if (r == name) return true;
  }
  // Leading underscore + capital, or a double underscore, belong to the implementation.
  if (name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z') return true;
  return name.find("__") != std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Literals

std::string int_literal(std::int64_t value) {
  std::array<char, 24> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), end);
}

std::string uint_literal(std::uint64_t value) {
  std::array<char, 24> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), end);
}

// Shortest text that reads back as the same float, as a float literal.
std::string float_literal(float value) {
  if (std::isnan(value)) return "std::numeric_limits<float>::quiet_NaN()";
  if (std::isinf(value)) return value > 0 ? "std::numeric_limits<float>::infinity()" : "-std::numeric_limits<float>::infinity()";
  std::array<char, 48> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string text(buffer.data(), end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text + "f";
}

// A string literal. Anything but printable ASCII becomes a three-digit octal
// escape (never ambiguous with the characters that follow, unlike \x).
std::string string_literal(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      out += '\\';
      out += static_cast<char>('0' + ((c >> 6) & 7));
      out += static_cast<char>('0' + ((c >> 3) & 7));
      out += static_cast<char>('0' + (c & 7));
    }
  }
  return out + "\"";
}

template <class T, class Format>
std::string array_literal(std::string_view element_type, const std::vector<T>& values, Format format) {
  std::string out = "std::array<" + std::string(element_type) + ", " + uint_literal(values.size()) + ">{";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + format(values[i]);
  return out + "}";
}

// ---------------------------------------------------------------------------
// Types and shapes

const char* cpp_type(sim::DType type) {
  switch (type) {
    case sim::DType::kFloat32: return "float";
    case sim::DType::kFloat16: return "std::uint16_t";  // IEEE binary16 bits
    case sim::DType::kUInt8: return "std::uint8_t";
    case sim::DType::kInt8: return "std::int8_t";
    case sim::DType::kInt16: return "std::int16_t";
    case sim::DType::kInt32: return "std::int32_t";
    case sim::DType::kInt64: return "std::int64_t";
    case sim::DType::kBool: return "std::uint8_t";
  }
  return "std::uint8_t";
}

const char* layout_name(format::Layout layout) {
  switch (layout) {
    case format::Layout::kNCHW: return "NCHW";
    case format::Layout::kNHWC: return "NHWC";
    case format::Layout::kUndefined: return "UNDEFINED";
  }
  return "UNDEFINED";
}

const char* qnt_type_name(format::QuantType type) {
  switch (type) {
    case format::QuantType::kNone: return "RKNN_TENSOR_QNT_NONE";
    case format::QuantType::kDynamicFixedPoint: return "RKNN_TENSOR_QNT_DFP";
    case format::QuantType::kAffineAsymmetric: return "RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC";
  }
  return "RKNN_TENSOR_QNT_NONE";
}

// An input with mean/std/reorder is an image: the application feeds uint8
// pixels in NHWC, as RKNN applications do, and the runtime converts.
bool is_image(const format::ModelInfo& info, std::size_t index) {
  return index < info.preprocess.size() && !info.preprocess[index].empty() && info.inputs[index].dims.size() == 4;
}

// The shape of the struct member: NHWC for images, the model's shape otherwise.
std::vector<std::int64_t> member_shape(const format::ModelInfo& info, std::size_t index) {
  const auto& dims = info.inputs[index].dims;
  if (!is_image(info, index) || info.inputs[index].fmt == format::Layout::kNHWC) return dims;
  return {dims[0], dims[2], dims[3], dims[1]};
}

void check_dims(const format::IoInfo& io) {
  for (auto d : io.dims) {
    if (d <= 0) {
      throw std::invalid_argument("tensor '" + io.name + "' has a non-positive dimension; give a static shape");
    }
  }
}

std::uint64_t element_count(const std::vector<std::int64_t>& dims) {
  std::uint64_t n = 1;
  for (auto d : dims) n *= static_cast<std::uint64_t>(d);
  return n;
}

// "float name[1][3]" (or "float name" for a scalar).
std::string member(std::string_view type, std::string_view name, const std::vector<std::int64_t>& dims) {
  std::string out = std::string(type) + " " + std::string(name);
  for (auto d : dims) out += "[" + int_literal(d) + "]";
  return out;
}

struct Identifiers {
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
};

// Inputs and outputs share one set of names, so their metadata structs
// (NAME_info) can live side by side in the namespace.
Identifiers identifiers(const format::ModelInfo& info) {
  std::vector<std::string> names;
  for (const auto& t : info.inputs) names.push_back(t.name);
  for (const auto& t : info.outputs) names.push_back(t.name);
  auto ids = make_unique_identifiers(names);
  const auto split = ids.begin() + static_cast<std::ptrdiff_t>(info.inputs.size());
  return {{ids.begin(), split}, {split, ids.end()}};
}

std::vector<std::string> split_namespace(std::string_view ns) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = ns.find("::", start);
    parts.emplace_back(ns.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 2;
  }
  return parts;
}

void check_options(const CodegenOptions& options) {
  if (!is_identifier(options.name)) {
    throw std::invalid_argument("model name '" + options.name + "' is not a C++ identifier");
  }
  for (const auto& part : split_namespace(options.ns.empty() ? options.name : options.ns)) {
    if (!is_identifier(part)) throw std::invalid_argument("namespace '" + options.ns + "' is not a C++ namespace name");
  }
  const auto& file = options.artifact_file;
  if (file.empty() || file.find_first_of("/\\\"\n\r") != std::string::npos) {
    throw std::invalid_argument("artifact file '" + file + "' must be a plain file name");
  }
}

// ---------------------------------------------------------------------------
// The header

std::string quant_members(const format::QuantInfo& q, std::string_view indent) {
  const float scale = q.scale.empty() ? 1.0f : q.scale.front();
  const std::int32_t zero_point = q.zero_point.empty() ? 0 : q.zero_point.front();
  const std::string i(indent);
  std::string out;
  out += i + "static constexpr rknn_tensor_qnt_type qnt_type = " + qnt_type_name(q.type) + ";\n";
  out += i + "static constexpr std::int8_t fl = " + int_literal(q.fl) + ";\n";
  out += i + "static constexpr std::int32_t zero_point = " + int_literal(zero_point) + ";\n";
  out += i + "static constexpr float scale = " + float_literal(scale) + ";\n";
  out += i + "// Per-channel parameters along `axis` (-1: per tensor).\n";
  out += i + "static constexpr std::int32_t axis = " + int_literal(q.axis) + ";\n";
  out += i + "static constexpr auto zero_points = " +
         array_literal("std::int32_t", q.zero_point, [](std::int32_t v) { return int_literal(v); }) + ";\n";
  out += i + "static constexpr auto scales = " + array_literal("float", q.scale, float_literal) + ";\n";
  return out;
}

std::string tensor_info(const format::IoInfo& io, std::size_t index, const std::string& id) {
  const std::string in = "  ";
  std::string out = "struct " + id + "_info {\n";
  out += in + "static constexpr std::size_t index = " + uint_literal(index) + ";\n";
  out += in + "static constexpr std::string_view name = " + string_literal(io.name) + ";\n";
  out += in + "// The model's shape, in `layout`.\n";
  out += in + "static constexpr auto shape = " +
         array_literal("std::int64_t", io.dims, [](std::int64_t v) { return int_literal(v); }) + ";\n";
  out += in + "static constexpr std::string_view layout = \"" + layout_name(io.fmt) + "\";\n";
  out += in + "static constexpr std::size_t element_count = " + uint_literal(element_count(io.dims)) + ";\n";
  out += in + "using raw_type = " + cpp_type(io.type) + ";  // element type inside the model\n";
  out += quant_members(io.quant, in);
  return out;
}

std::string input_info(const format::ModelInfo& info, std::size_t index, const std::string& id) {
  const std::string in = "  ";
  std::string out = tensor_info(info.inputs[index], index, id);
  const format::Preprocessing none;
  const auto& p = index < info.preprocess.size() ? info.preprocess[index] : none;
  out += in + "// Fed as std::uint8_t NHWC pixels (true) or as float in the model's layout.\n";
  out += in + "static constexpr bool is_image = " + (is_image(info, index) ? "true" : "false") + ";\n";
  out += in + "static constexpr auto member_shape = " +
         array_literal("std::int64_t", member_shape(info, index), [](std::int64_t v) { return int_literal(v); }) +
         ";\n";
  out += in + "static constexpr auto mean = " + array_literal("float", p.mean, float_literal) + ";\n";
  out += in + "static constexpr auto std_values = " + array_literal("float", p.std, float_literal) + ";\n";
  out += in + "static constexpr auto reorder = " +
         array_literal("std::int32_t", p.reorder, [](std::int32_t v) { return int_literal(v); }) + ";\n";
  return out + "};\n";
}

std::string model_metadata(const format::ModelInfo& info, const CodegenOptions& options) {
  std::string out;
  out += "inline constexpr std::string_view model_name = " + string_literal(options.name) + ";\n";
  out += "inline constexpr std::string_view quantization = " + string_literal(info.quantization) + ";\n";
  out += "inline constexpr auto platforms = " + array_literal("std::string_view", info.platforms, string_literal) +
         ";\n";
  out += std::string("inline constexpr bool precompiled = ") + (info.precompiled ? "true" : "false") + ";\n";
  out += "inline constexpr int optimization_level = " + int_literal(info.optimization_level) + ";\n";
  out += "inline constexpr std::string_view custom_string = " + string_literal(info.custom_string) + ";\n";
  out += "inline constexpr std::size_t input_count = " + uint_literal(info.inputs.size()) + ";\n";
  out += "inline constexpr std::size_t output_count = " + uint_literal(info.outputs.size()) + ";\n";
  return out;
}

std::string io_structs(const format::ModelInfo& info, const std::vector<std::string>& in_ids,
                       const std::vector<std::string>& out_ids) {
  std::string out = "// What the application feeds: images as std::uint8_t NHWC, other inputs as float\n"
                    "// in the model's layout.\nstruct Inputs {\n";
  for (std::size_t i = 0; i < info.inputs.size(); ++i) {
    out += "  " + member(is_image(info, i) ? "std::uint8_t" : "float", in_ids[i], member_shape(info, i)) + ";\n";
  }
  out += "};\n\n// Outputs dequantized to float, in the model's layout.\nstruct Outputs {\n";
  for (std::size_t i = 0; i < info.outputs.size(); ++i) {
    out += "  " + member("float", out_ids[i], info.outputs[i].dims) + ";\n";
  }
  out += "};\n\n// Outputs as the model computes them (quantized or float16 bits).\nstruct RawOutputs {\n";
  for (std::size_t i = 0; i < info.outputs.size(); ++i) {
    out += "  " + member(cpp_type(info.outputs[i].type), out_ids[i], info.outputs[i].dims) + ";\n";
  }
  return out + "};\n";
}

constexpr std::string_view kModelClass = R"(// The embedded model on the runtime (the simulator unless the runtime selects
// a device). Not copyable; movable. One Model per thread.
class Model {
 public:
  Model();
  explicit Model(const rknn::Options& options);

  void run(const Inputs& inputs, Outputs& outputs);
  void run_raw(const Inputs& inputs, RawOutputs& outputs);

  // The embedded .rknn artifact (64-byte aligned, in read-only data).
  static std::span<const std::byte> bytes();

  // Escape hatches: the C++ session and the RKNN C API context.
  rknn::Session& session() { return session_; }
  const rknn::Session& session() const { return session_; }
  rknn_context context() const { return session_.context(); }

 private:
  void set_inputs(const Inputs& inputs);

  rknn::Session session_;
};
)";

std::string header(const format::ModelInfo& info, const CodegenOptions& options, const std::string& ns) {
  const auto ids = identifiers(info);
  std::string out = "// Generated by rknnc for the model " + options.name + " (" + options.artifact_file +
                    "). Do not edit.\n#pragma once\n\n"
                    "#include <array>\n#include <cstddef>\n#include <cstdint>\n#include <limits>\n"
                    "#include <span>\n#include <string_view>\n\n#include \"rknn/runtime.hpp\"\n\n";
  out += "namespace " + ns + " {\n\n";
  out += model_metadata(info, options) + "\n";
  out += "// Per-tensor metadata: MEMBER_info for each member of Inputs and Outputs.\n";
  for (std::size_t i = 0; i < info.inputs.size(); ++i) out += input_info(info, i, ids.inputs[i]) + "\n";
  for (std::size_t i = 0; i < info.outputs.size(); ++i) {
    out += tensor_info(info.outputs[i], i, ids.outputs[i]) + "};\n\n";
  }
  out += io_structs(info, ids.inputs, ids.outputs) + "\n";
  out += kModelClass;
  return out + "\n}  // namespace " + ns + "\n";
}

// ---------------------------------------------------------------------------
// The source

// Top-level assembly: the artifact in its own read-only section, 64-byte
// aligned so the runtime uses its constants in place. The compiler still
// emits .note.GNU-stack for the translation unit (push/popsection leave the
// current section alone), so the stack stays non-executable.
std::string embed_asm(const std::string& symbol, const std::string& file) {
  const std::string end = symbol + "_end";
  std::string out = "asm(\".pushsection .rodata." + symbol + ",\\\"a\\\"\\n\"\n";
  for (const auto& s : {symbol, end}) {
    out += "    \".globl " + s + "\\n\"\n    \".hidden " + s + "\\n\"\n";
  }
  out += "    \".type " + symbol + ", %object\\n\"\n";
  out += "    \".balign 64\\n\"\n";
  out += "    \"" + symbol + ":\\n\"\n";
  out += "    \".incbin \\\"" + file + "\\\"\\n\"\n";
  out += "    \"" + end + ":\\n\"\n";
  out += "    \".size " + symbol + ", " + end + " - " + symbol + "\\n\"\n";
  out += "    \".popsection\\n\");\n";
  return out;
}

std::string set_inputs_body(const format::ModelInfo& info, const std::vector<std::string>& ids) {
  std::string out = "void Model::set_inputs(const Inputs& inputs) {\n";
  if (info.inputs.empty()) out += "  static_cast<void>(inputs);\n";
  for (std::size_t i = 0; i < info.inputs.size(); ++i) {
    const std::string index = uint_literal(i);
    if (is_image(info, i)) {
      out += "  session_.set_input(" + index + ", bytes_of(inputs." + ids[i] +
             "), RKNN_TENSOR_UINT8, RKNN_TENSOR_NHWC);\n";
    } else {
      // The model's own layout, as the runtime reports it: no conversion.
      out += "  session_.set_input(" + index + ", bytes_of(inputs." + ids[i] + "), RKNN_TENSOR_FLOAT32, session_.input_attr(" +
             index + ").fmt);\n";
    }
  }
  return out + "}\n";
}

std::string run_body(const format::ModelInfo& info, const std::vector<std::string>& ids, bool raw) {
  std::string out = raw ? "void Model::run_raw(const Inputs& inputs, RawOutputs& outputs) {\n"
                        : "void Model::run(const Inputs& inputs, Outputs& outputs) {\n";
  out += "  set_inputs(inputs);\n  session_.run();\n";
  for (std::size_t i = 0; i < info.outputs.size(); ++i) {
    out += "  session_.get_output(" + uint_literal(i) + ", writable_bytes_of(outputs." + ids[i] + "), " +
           (raw ? "false" : "true") + ");\n";
  }
  if (info.outputs.empty()) out += "  static_cast<void>(outputs);\n";
  return out + "}\n";
}

constexpr std::string_view kSourceHelpers = R"(namespace {

template <class T>
std::span<const std::byte> bytes_of(const T& value) {
  return {reinterpret_cast<const std::byte*>(&value), sizeof value};
}

template <class T>
std::span<std::byte> writable_bytes_of(T& value) {
  return {reinterpret_cast<std::byte*>(&value), sizeof value};
}

}  // namespace
)";

std::string source(const format::ModelInfo& info, const CodegenOptions& options, const std::string& ns) {
  const std::string symbol = blob_symbol(ns, options.name);
  std::string out = "// Generated by rknnc for the model " + options.name + " (" + options.artifact_file +
                    "). Do not edit.\n#include \"" + options.artifact_file + ".hpp\"\n\n#include <cstdint>\n\n";
  out += "#if !defined(__ELF__)\n#error \"embedding a model needs an ELF target (GNU assembler .incbin)\"\n#endif\n\n";
  out += "// The artifact, embedded by the assembler (no array text). The build puts its\n"
         "// directory on the assembler's include path (-Wa,-I<dir>) and lists it as a\n"
         "// dependency of this object.\n";
  out += embed_asm(symbol, options.artifact_file) + "\n";
  out += "extern \"C\" {\n";
  out += "[[gnu::visibility(\"hidden\")]] extern const unsigned char " + symbol + "[];\n";
  out += "[[gnu::visibility(\"hidden\")]] extern const unsigned char " + symbol + "_end[];\n";
  out += "}\n\nnamespace " + ns + " {\n";
  out += kSourceHelpers;
  out += "\nstd::span<const std::byte> Model::bytes() {\n";
  out += "  const auto size = reinterpret_cast<std::uintptr_t>(" + symbol + "_end) - reinterpret_cast<std::uintptr_t>(" +
         symbol + ");\n";
  out += "  return {reinterpret_cast<const std::byte*>(" + symbol + "), static_cast<std::size_t>(size)};\n}\n\n";
  out += "Model::Model() : Model(rknn::Options{}) {}\n\n";
  out += "Model::Model(const rknn::Options& options) : session_(bytes(), options) {}\n\n";
  const auto ids = identifiers(info);
  out += set_inputs_body(info, ids.inputs) + "\n";
  out += run_body(info, ids.outputs, false) + "\n";
  out += run_body(info, ids.outputs, true);
  return out + "\n}  // namespace " + ns + "\n";
}

}  // namespace

bool is_identifier(std::string_view name) {
  if (name.empty() || !is_ident_start(name.front())) return false;
  for (char c : name) {
    if (!is_ident_char(c)) return false;
  }
  return !is_reserved(name);
}

std::string to_identifier(std::string_view name) {
  std::string out;
  for (char c : name) {
    const char mapped = is_ident_char(c) ? c : '_';
    // One '_' per run: a double underscore is reserved, and "a/b" and "a.b" read alike anyway.
    if (mapped == '_' && !out.empty() && out.back() == '_') continue;
    out += mapped;
  }
  while (!out.empty() && out.front() == '_') out.erase(0, 1);  // "/conv/Conv" -> "conv_Conv"
  if (out.empty()) return "tensor";
  if (!is_ident_start(out.front()) || is_reserved(out)) out = "t_" + out;
  return out;
}

std::vector<std::string> make_unique_identifiers(const std::vector<std::string>& names) {
  std::vector<std::string> ids;
  for (const auto& n : names) ids.push_back(to_identifier(n));
  // A suffix must not take a name that another tensor has on its own.
  std::set<std::string> taken(ids.begin(), ids.end());
  std::set<std::string> used;
  for (auto& id : ids) {
    if (used.insert(id).second) continue;
    for (int k = 1;; ++k) {
      std::string candidate = id + "_" + std::to_string(k);
      if (!taken.contains(candidate) && !used.contains(candidate)) {
        id = candidate;
        used.insert(id);
        break;
      }
    }
  }
  return ids;
}

std::string blob_symbol(std::string_view ns, std::string_view name) {
  // Length-prefixed parts: "a::b" + "m" and "a_b" + "m" give different symbols.
  std::string out = "rknn_model_";
  for (const auto& part : split_namespace(ns)) out += std::to_string(part.size()) + part;
  return out + "_" + std::to_string(name.size()) + std::string(name);
}

Generated generate(const format::ModelInfo& info, const CodegenOptions& options) {
  check_options(options);
  for (const auto& io : info.inputs) check_dims(io);
  for (const auto& io : info.outputs) check_dims(io);
  const std::string ns = options.ns.empty() ? options.name : options.ns;
  return {header(info, options, ns), source(info, options, ns)};
}

}  // namespace rknn::codegen
