// C++ code generation for an embedded model: NAME.rknn.hpp declares typed
// Inputs/Outputs structs, constexpr metadata and a Model class in namespace
// NS; NAME.rknn.cpp embeds the artifact bytes with an assembler .incbin (no
// array text) and defines the class.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rknn/model_format.h"

namespace rknn::codegen {

struct Generated {
  std::string header;  // NAME.rknn.hpp
  std::string source;  // NAME.rknn.cpp
};

struct CodegenOptions {
  std::string name;           // model name: a C++ identifier
  std::string ns;             // namespace, may be nested ("a::b"); defaults to name
  std::string artifact_file;  // file name of the artifact next to the sources, e.g. "NAME.rknn"
};

// Deterministic: the output depends only on its arguments (no paths, no time).
// Throws std::invalid_argument for a name or namespace that is not a C++
// identifier, an artifact file name with a directory part, or a tensor with a
// non-positive dimension.
Generated generate(const format::ModelInfo& info, const CodegenOptions& options);

// A C++ identifier for a tensor name: invalid characters become '_', a
// leading digit or keyword gets a prefix. Collisions are resolved by
// make_unique_identifiers in order of appearance (name, name_1, name_2, ...).
std::string to_identifier(std::string_view name);
std::vector<std::string> make_unique_identifiers(const std::vector<std::string>& names);

// True for a plain C++ identifier that is not a keyword or reserved name.
bool is_identifier(std::string_view name);

// The assembler symbol of the embedded artifact for namespace `ns` and model
// `name`: unique per (ns, name) and free of paths.
std::string blob_symbol(std::string_view ns, std::string_view name);

}  // namespace rknn::codegen
