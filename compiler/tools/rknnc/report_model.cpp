#include "tools/rknnc/report_model.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "artifact/artifact_writer.h"
#include "io/atomic_file.h"
#include "io/tensor_file.h"
#include "ir/error.h"

namespace rknn::cli {
namespace {

ReportModel load_artifact(const std::string& path, const encryption::KeySpec& key) {
  ReportModel m;
  m.file = io::read_file_aligned(path);
  m.artifact_bytes = m.file.byte_size();
  std::span<const std::byte> bytes{m.file.raw(), m.file.byte_size()};
  if (encryption::is_encrypted(bytes)) {
    if (!key.given()) throw CompileError(path + " is encrypted: give --key-file or --key-env to read it");
    const encryption::SecretBytes secret = encryption::read_key_for(bytes, key);
    m.plain = encryption::decrypt_artifact(bytes, secret.span());
    bytes = m.plain.span();
  }
  format::LoadedModel loaded = format::load_model(bytes);
  m.info = std::move(loaded.info);
  m.program = std::move(loaded.program);
  return m;
}

ReportModel compile_onnx(const std::string& path, const CompileFlags& flags) {
  driver::CompiledModel compiled = driver::compile_model(path, compile_options(flags));
  ReportModel m;
  m.artifact_bytes = artifact::write_artifact(compiled.info, compiled.program).size();
  m.info = std::move(compiled.info);
  m.program = std::move(compiled.program);
  return m;
}

}  // namespace

ReportModel load_report_model(const std::string& path, const CompileFlags& flags, const encryption::KeySpec& key) {
  if (std::filesystem::path(path).extension() == ".rknn") return load_artifact(path, key);
  return compile_onnx(path, flags);
}

std::vector<const sim::Platform*> runnable_platforms(const format::ModelInfo& info) {
  std::vector<const sim::Platform*> result;
  const sim::Platform* built_for = info.platforms.empty() ? nullptr : sim::find_platform(info.platforms.front());
  if (!built_for) return result;
  for (const sim::Platform& p : sim::platforms()) {
    if (p.group == built_for->group && p.supports(info.quantization)) result.push_back(&p);
  }
  return result;
}

const sim::Platform& report_platform(const format::ModelInfo& info, const std::string& target) {
  if (info.platforms.empty()) throw CompileError("the model names no target platform");
  const std::string& name = target.empty() ? info.platforms.front() : target;
  const sim::Platform* p = sim::find_platform(name);
  if (!p) throw CompileError("unknown platform '" + name + "'; supported: " + sim::platform_names());
  for (const sim::Platform* runnable : runnable_platforms(info)) {
    if (runnable == p) return *p;
  }
  std::string built_for;
  for (const auto& n : info.platforms) built_for += (built_for.empty() ? "" : " ") + n;
  throw CompileError("platform " + name + " cannot run this model (built for " + built_for + ", " +
                     info.quantization + "); `rknnc platforms MODEL` lists the chips that can");
}

void write_report_file(const std::string& path, const std::string& text) {
  if (path.empty()) return;
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  io::write_file_atomically(p, text);
}

void print_report(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
  } else {
    write_report_file(path, text);
  }
}

}  // namespace rknn::cli
