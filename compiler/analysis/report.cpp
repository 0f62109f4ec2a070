#include "analysis/report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>

#include "io/atomic_file.h"
#include "io/tensor_file.h"
#include "rknn/sim/json_text.h"

namespace rknn::analysis {
namespace {

using sim::json_string;

namespace fs = std::filesystem;

constexpr std::size_t kMaxFileStem = 200;  // leaves room for ".npy" and the temporary suffix

// printf-style formatting of one number; "nan"/"inf" for non-finite values.
std::string number(const char* format, double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), format, value);
  return text.data();
}

std::string table_cosine(double v) { return number("%.6f", v); }
std::string table_euclidean(double v) { return number("%.4e", v); }
// JSON has no NaN or infinity: such a value is null.
std::string json_number(const char* format, double v) { return std::isfinite(v) ? number(format, v) : "null"; }

std::string json_metrics(const ErrorMetrics& m) {
  return "{\"cosine\": " + json_number("%.9f", m.cosine) + ", \"euclidean\": " + json_number("%.9e", m.euclidean) + "}";
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string sanitized(const std::string& name) {
  std::string out = name.substr(0, kMaxFileStem);
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '_' || c == '-';
    if (!plain) c = '_';
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

// Text cells of one table row; numbers are right-aligned.
using Row = std::array<std::string, 7>;
constexpr std::array<bool, 7> kRightAligned{true, false, false, true, true, true, true};

std::string table_line(const Row& row, const std::array<std::size_t, 7>& widths) {
  std::string line;
  for (std::size_t c = 0; c < row.size(); ++c) {
    const std::string pad(widths[c] - row[c].size(), ' ');
    if (c > 0) line += "  ";
    line += kRightAligned[c] ? pad + row[c] : (c + 1 == row.size() ? row[c] : row[c] + pad);
  }
  return line + "\n";
}

}  // namespace

std::string format_table(const Analysis& analysis) {
  std::vector<Row> rows{{"index", "name", "op", "entire_cos", "entire_euc", "per_layer_cos", "per_layer_euc"}};
  for (const LayerResult& l : analysis.layers) {
    rows.push_back({std::to_string(l.layer), l.name, l.op, table_cosine(l.entire.cosine),
                    table_euclidean(l.entire.euclidean), table_cosine(l.per_layer.cosine),
                    table_euclidean(l.per_layer.euclidean)});
  }
  std::array<std::size_t, 7> widths{};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string text = "# accuracy analysis of " + analysis.model + " (" + analysis.quantization + ") on " +
                     joined(analysis.inputs, " ") + "\n" +
                     "# entire: the whole quantized model against the float32 golden model\n"
                     "# per_layer: each layer alone, fed with the golden values of its inputs quantized with "
                     "their own parameters\n"
                     "# cos: cosine similarity (1: same direction); euc: Euclidean distance (0: identical)\n";
  for (const Row& row : rows) text += table_line(row, widths);
  return text;
}

std::string format_json(const Analysis& analysis) {
  std::vector<std::string> inputs;
  for (const auto& name : analysis.inputs) inputs.push_back(json_string(name));
  const std::vector<std::string> files = tensor_file_names(analysis);
  std::string text = "{\n  \"model\": " + json_string(analysis.model) + ",\n  \"quantization\": " +
                     json_string(analysis.quantization) + ",\n  \"inputs\": [" + joined(inputs, ", ") +
                     "],\n  \"layers\": [";
  for (std::size_t i = 0; i < analysis.layers.size(); ++i) {
    const LayerResult& l = analysis.layers[i];
    text += std::string(i == 0 ? "\n" : ",\n") + "    {\"index\": " + std::to_string(l.layer) +
            ", \"name\": " + json_string(l.name) + ", \"op\": " + json_string(l.op) +
            ", \"file\": " + json_string(files[i]) + ", \"entire\": " + json_metrics(l.entire) +
            ", \"per_layer\": " + json_metrics(l.per_layer) + "}";
  }
  return text + (analysis.layers.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

std::vector<std::string> tensor_file_names(const Analysis& analysis) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // lower case: folders may ignore case
  for (const LayerResult& l : analysis.layers) {
    const std::string stem = sanitized(l.name);
    std::string name = stem;
    for (int n = 2; taken.count(lowercase(name)); ++n) name = stem + "_" + std::to_string(n);
    taken.insert(lowercase(name));
    names.push_back(name + ".npy");
  }
  return names;
}

sim::Tensor to_nhwc(const sim::Tensor& tensor) {
  if (tensor.shape().size() != 4) return tensor;
  const sim::Shape& s = tensor.shape();
  const std::int64_t n = s[0], c = s[1], h = s[2], w = s[3];
  sim::Tensor out(sim::DType::kFloat32, {n, h, w, c});
  const auto in = tensor.values<float>();
  auto dst = out.values<float>();
  for (std::int64_t b = 0; b < n; ++b) {
    for (std::int64_t ch = 0; ch < c; ++ch) {
      for (std::int64_t p = 0; p < h * w; ++p) {
        const auto from = static_cast<std::size_t>((b * c + ch) * h * w + p);
        dst[static_cast<std::size_t>((b * h * w + p) * c + ch)] = in[from];
      }
    }
  }
  return out;
}

void write_analysis(const Analysis& analysis, const fs::path& dir, bool dump_tensors) {
  fs::create_directories(dir);
  if (dump_tensors) {
    const std::vector<std::string> files = tensor_file_names(analysis);
    fs::create_directories(dir / "golden");
    fs::create_directories(dir / "quantized");
    for (std::size_t i = 0; i < analysis.layers.size(); ++i) {
      io::write_npy(dir / "golden" / files[i], to_nhwc(analysis.layers[i].golden));
      io::write_npy(dir / "quantized" / files[i], to_nhwc(analysis.layers[i].quantized));
    }
  }
  io::write_file_atomically(dir / "error_analysis.txt", format_table(analysis));
  io::write_file_atomically(dir / "error_analysis.json", format_json(analysis));
}

}  // namespace rknn::analysis
