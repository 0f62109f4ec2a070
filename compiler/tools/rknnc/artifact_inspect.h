#pragma once

#include <string>

#include "encryption/key_file.h"

namespace rknn::cli {

// Prints a verified artifact's attributes, as text or JSON. Throws on an
// invalid artifact. An encrypted artifact without a key: its envelope only.
void inspect_artifact(const std::string& path, bool json, const encryption::KeySpec& key = {});

}  // namespace rknn::cli
