// rknnc compile MODEL.onnx -o NAME.rknn [--codegen-dir DIR --name NAME] ...
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "artifact/artifact_writer.h"
#include "codegen/codegen.h"
#include "commands.h"
#include "driver/compile.h"
#include "encryption/encrypt.h"
#include "io/atomic_file.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

namespace fs = std::filesystem;

struct CompileCommand {
  std::string model;
  std::string output;
  std::string quant = "float16";
  std::string quant_method = "channel";
  std::string quant_algorithm = "normal";
  int calibration_batch_size = 100;
  int epochs = -1;
  bool rgb_to_bgr = false;
  int threads = 1;
  std::vector<std::string> mean, std, reorder, platforms{"rk1808"}, inputs, outputs;
  int batch_size = 1;
  std::string custom_string;
  std::string dataset;
  std::string codegen_dir, name, ns, depfile;
  bool precompile = false;
  ModelOptions model_options;
  int encrypt_level = 0;  // 0: not encrypted
  encryption::KeySpec key;
};

template <class T>
std::vector<T> parse_list(const std::string& text, const char* option) {
  std::vector<T> values;
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    std::istringstream in(item);
    T value{};
    if (!(in >> value) || !(in >> std::ws).eof()) {
      throw CompileError(std::string(option) + " '" + text + "': '" + item + "' is not a number");
    }
    values.push_back(value);
  }
  return values;
}

template <class T>
std::vector<std::vector<T>> parse_per_input(const std::vector<std::string>& texts, const char* option) {
  std::vector<std::vector<T>> lists;
  for (const auto& text : texts) lists.push_back(parse_list<T>(text, option));
  return lists;
}

std::vector<std::string> split_names(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  for (const auto& text : texts) {
    std::stringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
      if (!item.empty()) names.push_back(item);
    }
  }
  return names;
}

driver::CompileOptions compile_options(const CompileCommand& c) {
  driver::CompileOptions o;
  o.load.optimization_level = c.model_options.optimization_level;
  for (const auto& text : c.model_options.input_shapes) o.load.import.input_shapes.insert(frontend::parse_input_shape(text));
  o.load.import.batch_size = c.batch_size;
  o.quantization = c.quant;
  o.quant_method = c.quant_method;
  o.platforms = c.platforms;
  o.mean = parse_per_input<float>(c.mean, "--mean");
  o.std = parse_per_input<float>(c.std, "--std");
  o.reorder = parse_per_input<std::int32_t>(c.reorder, "--reorder");
  o.inputs = split_names(c.inputs);
  o.outputs = split_names(c.outputs);
  o.custom_string = c.custom_string;
  if (!c.dataset.empty()) o.dataset = c.dataset;
  o.precompile = c.precompile;
  o.quant_algorithm = c.quant_algorithm;
  o.calibration_batch_size = c.calibration_batch_size;
  o.epochs = c.epochs;
  o.rgb_to_bgr = c.rgb_to_bgr;
  o.threads = c.threads;
  return o;
}

// Make syntax; spaces and '#' in paths are escaped.
std::string depfile_text(const std::string& target, const std::vector<fs::path>& dependencies) {
  auto escape = [](const std::string& path) {
    std::string out;
    for (char ch : path) {
      if (ch == ' ' || ch == '#') out += '\\';
      if (ch == '$') out += '$';
      out += ch;
    }
    return out;
  };
  std::string text = escape(target) + ":";
  for (const auto& dep : dependencies) text += " \\\n  " + escape(fs::absolute(dep).lexically_normal().string());
  return text + "\n";
}

// The key, read before compiling so that a bad key fails fast.
encryption::SecretBytes encryption_key(const CompileCommand& c) {
  if (c.encrypt_level == 0) {
    if (c.key.given()) throw CompileError("--key-file/--key-env need --encrypt-level");
    return {};
  }
  if (!c.key.given()) throw CompileError("--encrypt-level needs --key-file FILE or --key-env VARIABLE");
  return encryption::read_key(c.key, c.encrypt_level);
}

// ", encrypted level N (key id ...)" for the summary line: the key id, never the key.
std::string encryption_note(const CompileCommand& c, const std::string& artifact) {
  if (c.encrypt_level == 0) return "";
  return ", encrypted level " + std::to_string(c.encrypt_level) + " (key id " +
         encryption::read_envelope(std::as_bytes(std::span(artifact))).key_id + ")";
}

void compile(const CompileCommand& c) {
  if (!c.codegen_dir.empty() && c.name.empty()) throw CompileError("--codegen-dir needs --name");
  const encryption::SecretBytes key = encryption_key(c);
  driver::CompiledModel compiled = driver::compile_model(c.model, compile_options(c));
  std::string artifact = artifact::write_artifact(compiled.info, compiled.program);
  if (c.encrypt_level != 0) artifact = encryption::encrypt_artifact(artifact, c.encrypt_level, key.span());

  if (!c.codegen_dir.empty()) {
    fs::create_directories(c.codegen_dir);
    const codegen::Generated generated = codegen::generate(
        compiled.info, {c.name, c.ns.empty() ? c.name : c.ns, fs::path(c.output).filename().string()});
    io::write_file_atomically(fs::path(c.codegen_dir) / (c.name + ".rknn.hpp"), generated.header);
    io::write_file_atomically(fs::path(c.codegen_dir) / (c.name + ".rknn.cpp"), generated.source);
  }
  if (fs::path(c.output).has_parent_path()) fs::create_directories(fs::path(c.output).parent_path());
  io::write_file_atomically(c.output, artifact);
  if (!c.depfile.empty()) {
    std::vector<fs::path> dependencies = compiled.dependencies;
    dependencies.push_back(fs::read_symlink("/proc/self/exe"));  // a new compiler rebuilds the model
    if (!c.key.file.empty()) dependencies.push_back(c.key.file);   // a new key too (its path only)
    io::write_file_atomically(c.depfile, depfile_text(c.output, dependencies));
  }
  for (const auto& line : compiled.log) std::cout << "rknnc: " << line << "\n";
  std::cout << "rknnc: " << c.model << " -> " << c.output << " (" << artifact.size() << " bytes, "
            << compiled.info.quantization << ", " << compiled.program.nodes.size() << " layers"
            << encryption_note(c, artifact) << ")\n";
}

}  // namespace

void add_compile_command(CLI::App& app) {
  auto c = std::make_shared<CompileCommand>();
  CLI::App* cmd = app.add_subcommand("compile", "Compile an ONNX model into an .rknn artifact (and embeddable C++)");
  cmd->add_option("model", c->model, "ONNX model (.onnx)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", c->output, "The artifact to write (NAME.rknn)")->required();
  cmd->add_option("--quant", c->quant,
                  "Quantization: float16 (default), float32 (debug), asymmetric_u8, dynamic_fixed_point_i8, "
                  "dynamic_fixed_point_i16; RKNN spellings accepted");
  cmd->add_option("--quant-method", c->quant_method, "Weight quantization granularity: layer or channel")
      ->check(CLI::IsMember({"layer", "channel"}));
  cmd->add_option("--mean", c->mean, "Mean values of one input's channels, e.g. 123.675,116.28,103.53 (once per input)");
  cmd->add_option("--std", c->std, "Std values of one input's channels, e.g. 58.395,57.12,57.375 (once per input)");
  cmd->add_option("--reorder", c->reorder, "Channel order of one input, e.g. 2,1,0 for RGB to BGR (once per input)");
  cmd->add_option("--platform", c->platforms, "Target platform, e.g. rk1808 (repeatable, one compatibility group)");
  cmd->add_option("--batch-size", c->batch_size, "Inputs take this batch (RKNN rknn_batch_size)")->check(CLI::Range(1, 1024));
  cmd->add_option("--inputs", c->inputs, "Compile the sub-graph starting at these tensors (comma separated)");
  cmd->add_option("--outputs", c->outputs, "Compile the sub-graph ending at these tensors (comma separated)");
  cmd->add_option("--custom-string", c->custom_string, "A string stored in the artifact (rknn_query CUSTOM_STRING)");
  cmd->add_option("--dataset", c->dataset, "RKNN dataset file: one line per sample, one path per input")
      ->check(CLI::ExistingFile);
  cmd->add_option("--codegen-dir", c->codegen_dir, "Also write NAME.rknn.hpp and NAME.rknn.cpp into this folder");
  cmd->add_option("--name", c->name, "Model name for generated code (a C++ identifier)");
  cmd->add_option("--namespace", c->ns, "Namespace of the generated code (default: the name)");
  cmd->add_option("--depfile", c->depfile, "Write a Make-syntax depfile listing every input file");
  cmd->add_flag("--precompile", c->precompile, "Pre-compile for the platform (RKNN pre_compile)");
  cmd->add_option("--quant-algorithm", c->quant_algorithm, "Calibration: normal (min/max), kl_divergence or mmse")
      ->check(CLI::IsMember({"normal", "kl_divergence", "mmse"}));
  cmd->add_option("--calibration-batch-size", c->calibration_batch_size,
                  "Samples per calibration batch (RKNN batch_size, default 100)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--epochs", c->epochs, "Calibration batches to use (RKNN epochs; -1: the whole data set)");
  cmd->add_flag("--quant-img-rgb2bgr", c->rgb_to_bgr, "Swap R and B of calibration images (RKNN quant_img_RGB2BGR)");
  cmd->add_option("--threads", c->threads, "Threads for calibration (results do not depend on it)")
      ->check(CLI::Range(1, 256));
  add_model_options(*cmd, c->model_options);
  cmd->add_option("--encrypt-level", c->encrypt_level,
                  "Encrypt the artifact: 1 weights, 2 graph and weights, 3 as 2 with an scrypt-derived key "
                  "(needs --key-file or --key-env)")
      ->check(CLI::Range(1, 3));
  add_key_options(*cmd, c->key);
  cmd->callback([c] { compile(*c); });
}

}  // namespace rknn::cli
