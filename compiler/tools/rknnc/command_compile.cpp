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
  CompileFlags flags;
  std::string custom_string;
  std::string codegen_dir, name, ns, depfile;
  bool precompile = false;
  std::vector<std::string> sync_layers;
  int encrypt_level = 0;  // 0: not encrypted
  encryption::KeySpec key;
};

driver::CompileOptions command_options(const CompileCommand& c) {
  driver::CompileOptions o = compile_options(c.flags);
  o.custom_string = c.custom_string;
  o.precompile = c.precompile;
  o.sync_layers = c.sync_layers;
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
  driver::CompiledModel compiled = driver::compile_model(c.model, command_options(c));
  const sim::PlannedProgram* precompiled = compiled.precompiled ? &*compiled.precompiled : nullptr;
  std::string artifact = artifact::write_artifact(compiled.info, compiled.program, precompiled);
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
            << (precompiled ? ", pre-compiled for " + precompiled->platform : "") << encryption_note(c, artifact) << ")\n";
}

}  // namespace

void add_compile_command(CLI::App& app) {
  auto c = std::make_shared<CompileCommand>();
  CLI::App* cmd = app.add_subcommand("compile", "Compile an ONNX model into an .rknn artifact (and embeddable C++)");
  cmd->add_option("model", c->model, "ONNX model (.onnx)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", c->output, "The artifact to write (NAME.rknn)")->required();
  add_compile_flags(*cmd, c->flags);
  cmd->add_option("--custom-string", c->custom_string, "A string stored in the artifact (rknn_query CUSTOM_STRING)");
  cmd->add_option("--codegen-dir", c->codegen_dir, "Also write NAME.rknn.hpp and NAME.rknn.cpp into this folder");
  cmd->add_option("--name", c->name, "Model name for generated code (a C++ identifier)");
  cmd->add_option("--namespace", c->ns, "Namespace of the generated code (default: the name)");
  cmd->add_option("--depfile", c->depfile, "Write a Make-syntax depfile listing every input file");
  cmd->add_flag("--precompile", c->precompile,
                "Pre-compile for the one --platform (RKNN pre_compile): fused steps, tiles and a memory plan stored "
                "in the artifact, loaded without graph work (docs/precompile.md)");
  cmd->add_option("--sync-layers", c->sync_layers,
                  "Layers after which a run may yield to other models' runs on a board, comma separated "
                  "(RKNN export_rknn_sync_model; docs/protocol.md)")
      ->delimiter(',');
  cmd->add_option("--encrypt-level", c->encrypt_level,
                  "Encrypt the artifact: 1 weights, 2 graph and weights, 3 as 2 with an scrypt-derived key "
                  "(needs --key-file or --key-env)")
      ->check(CLI::Range(1, 3));
  add_key_options(*cmd, c->key);
  cmd->callback([c] { compile(*c); });
}

}  // namespace rknn::cli
