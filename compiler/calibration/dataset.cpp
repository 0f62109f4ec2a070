#include "calibration/dataset.h"

#include <fstream>
#include <sstream>

#include "ir/error.h"

namespace rknn::calibration {

std::vector<Sample> read_dataset(const std::filesystem::path& path, std::size_t inputs) {
  std::ifstream in(path);
  if (!in) throw CompileError("cannot open dataset file '" + path.string() + "'");
  std::vector<Sample> samples;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    std::istringstream words(text);
    Sample sample{line, {}};
    for (std::string word; words >> word;) {
      if (sample.files.empty() && word.starts_with("#")) break;
      const std::filesystem::path file(word);
      sample.files.push_back(file.is_absolute() ? file : path.parent_path() / file);
    }
    if (sample.files.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(line) + ": ";
    if (sample.files.size() != inputs) {
      throw CompileError(where + "names " + std::to_string(sample.files.size()) + " files, the model has " +
                         std::to_string(inputs) + " inputs (one path per input, separated by spaces)");
    }
    for (const auto& file : sample.files) {
      if (!std::filesystem::is_regular_file(file)) throw CompileError(where + "'" + file.string() + "' does not exist");
    }
    samples.push_back(std::move(sample));
  }
  if (samples.empty()) throw CompileError("dataset file '" + path.string() + "' lists no samples");
  return samples;
}

}  // namespace rknn::calibration
