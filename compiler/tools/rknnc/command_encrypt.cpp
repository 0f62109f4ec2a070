// rknnc encrypt IN.rknn [-o OUT.rknn] [--level 1|2|3] --key-file FILE | --key-env VAR
// (RKNN's export_encrypted_rknn_model), and the key options shared with
// compile, run, inspect and bench.
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "encryption/encrypt.h"
#include "io/atomic_file.h"
#include "io/tensor_file.h"

namespace rknn::cli {
namespace {

namespace fs = std::filesystem;

struct EncryptCommand {
  std::string input;
  std::string output;
  int level = 1;
  encryption::KeySpec key;
};

// As RKNN names it when no output is given: NAME.crypt.rknn.
std::string default_output(const std::string& input) {
  fs::path path(input);
  return (path.parent_path() / (path.stem().string() + ".crypt.rknn")).string();
}

void encrypt(const EncryptCommand& c) {
  const encryption::SecretBytes secret = encryption::read_key(c.key, c.level);
  const sim::Tensor plain = io::read_file_aligned(c.input);
  const std::string_view bytes(reinterpret_cast<const char*>(plain.raw()), plain.byte_size());
  const std::string encrypted = encryption::encrypt_artifact(bytes, c.level, secret.span());
  const std::string output = c.output.empty() ? default_output(c.input) : c.output;
  if (fs::path(output).has_parent_path()) fs::create_directories(fs::path(output).parent_path());
  io::write_file_atomically(output, encrypted);
  const encryption::Envelope envelope = encryption::read_envelope(std::as_bytes(std::span(encrypted)));
  std::cout << "rknnc: " << c.input << " -> " << output << " (level " << c.level << ": "
            << encryption::level_name(c.level) << ", key id " << envelope.key_id << ", " << encrypted.size()
            << " bytes, " << encrypted.size() - bytes.size() << " more than the plain artifact)\n";
}

}  // namespace

void add_key_options(CLI::App& command, encryption::KeySpec& key) {
  auto* file = command.add_option("--key-file", key.file,
                                  "Key of an encrypted artifact: 32 raw bytes or 64 hex digits (level 3: the secret)")
                   ->check(CLI::ExistingFile);
  auto* env = command.add_option("--key-env", key.env,
                                 "NAME of an environment variable holding the key as 64 hex digits (level 3: the "
                                 "secret)");
  file->excludes(env);
}

void add_encrypt_command(CLI::App& app) {
  auto c = std::make_shared<EncryptCommand>();
  CLI::App* cmd = app.add_subcommand("encrypt", "Encrypt an .rknn artifact (AES-256-GCM; docs/encryption.md)");
  cmd->add_option("model", c->input, "The plain artifact (.rknn)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", c->output, "The encrypted artifact to write (default: NAME.crypt.rknn)");
  cmd->add_option("--level", c->level,
                  "1: weights; 2: graph and weights; 3: as 2, with the key derived from a secret by scrypt "
                  "(default 1)")
      ->check(CLI::Range(1, 3));
  add_key_options(*cmd, c->key);
  cmd->callback([c] { encrypt(*c); });
}

}  // namespace rknn::cli
