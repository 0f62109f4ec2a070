// Model encryption (docs/encryption.md): a plain .rknn artifact becomes an
// encrypted envelope that runtime-embed/src/decrypt.h reads back.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "decrypt.h"

namespace rknn::encryption {

// Level 1 encrypts the data section (weights), level 2 the whole artifact,
// level 3 as level 2 with the key derived from `secret` by scrypt.
// Deterministic: the same artifact, level and secret give the same bytes.
// Throws CompileError for an artifact that is not plain and valid, a level
// outside 1..3 or a secret of the wrong size.
std::string encrypt_artifact(std::string_view plain, int level, std::span<const std::byte> secret);

}  // namespace rknn::encryption
