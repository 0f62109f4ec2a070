#pragma once

#include <string>

namespace rknn::cli {

// Prints a verified artifact's attributes, as text or JSON. Throws on an invalid artifact.
void inspect_artifact(const std::string& path, bool json);

}  // namespace rknn::cli
