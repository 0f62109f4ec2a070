// Every output file is written to a temporary name beside its destination and
// renamed into place, so a failure never leaves a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

namespace rknn::io {

// Throws CompileError naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace rknn::io
