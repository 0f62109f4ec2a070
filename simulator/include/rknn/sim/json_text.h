// The one JSON string quoting of the project: reports (perf, memory, accuracy
// analysis, inspect) write their JSON by hand, and every string in them goes
// through json_string.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace rknn::sim {

// text as a JSON string literal: quotes and backslashes escaped, control
// characters as \u00XX; other bytes (UTF-8) pass through.
inline std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace rknn::sim
