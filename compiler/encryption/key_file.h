// Reading encryption keys for rknnc: from a key file or an environment
// variable, never from the command line (docs/encryption.md defines the
// formats). Errors name the file or variable, never the key.
#pragma once

#include <span>
#include <string>

#include "decrypt.h"

namespace rknn::encryption {

struct KeySpec {
  std::string file;  // --key-file
  std::string env;   // --key-env: the NAME of the variable
  bool given() const { return !file.empty() || !env.empty(); }
};

// The key for `level`. Levels 1 and 2: a file of exactly 32 bytes is the raw
// key, any other file holds 64 hex digits (surrounding white space ignored);
// a variable holds 64 hex digits. Level 3: the file's bytes or the variable's
// value are the secret as they are, minus one trailing newline; 8 to 1024
// bytes. Throws CompileError.
SecretBytes read_key(const KeySpec& spec, int level);

// The key for an artifact, read for its level; empty when the artifact is
// not encrypted or no key was given (the runtime then says a key is needed).
SecretBytes read_key_for(std::span<const std::byte> artifact, const KeySpec& spec);

}  // namespace rknn::encryption
