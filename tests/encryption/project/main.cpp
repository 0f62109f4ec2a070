// Runs the embedded model plain and from both encrypted embeddings, with the
// keys supplied at run time (argv[1]: the key file; APP_MODEL_KEY: 64 hex
// digits), checks that the outputs are identical and that an encrypted model
// without its key is refused.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "by_env.rknn.hpp"
#include "by_file.rknn.hpp"
#include "plain.rknn.hpp"

static_assert(sizeof(plain::Inputs) == sizeof(by_file::Inputs) && sizeof(plain::Inputs) == sizeof(by_env::Inputs));
static_assert(sizeof(plain::Outputs) == sizeof(by_file::Outputs));

namespace {

std::vector<std::byte> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto* p = reinterpret_cast<const std::byte*>(bytes.data());
  return {p, p + bytes.size()};
}

std::vector<std::byte> from_hex(const char* text) {
  std::vector<std::byte> out;
  for (std::size_t i = 0; text && text[i] && text[i + 1]; i += 2) {
    const char pair[3] = {text[i], text[i + 1], '\0'};
    out.push_back(static_cast<std::byte>(std::strtoul(pair, nullptr, 16)));
  }
  return out;
}

template <class Model, class Inputs, class Outputs>
bool same_as_plain(const char* name, const std::vector<std::byte>& key, const plain::Inputs& in,
                   const plain::Outputs& expected) {
  Model model(rknn::Options{.key = key});
  Inputs inputs{};
  std::memcpy(&inputs, &in, sizeof inputs);
  Outputs out{};
  model.run(inputs, out);
  const bool same = std::memcmp(&out, &expected, sizeof out) == 0;
  std::printf("%s: %s\n", name, same ? "identical to plain" : "DIFFERENT");
  return same;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: app KEY_FILE (and APP_MODEL_KEY in the environment)\n");
    return 2;
  }
  plain::Inputs in{};
  for (std::size_t i = 0; i < sizeof in.image; ++i) reinterpret_cast<std::uint8_t*>(in.image)[i] = (i * 7) % 251;
  plain::Model reference;
  plain::Outputs expected{};
  reference.run(in, expected);

  bool ok = same_as_plain<by_file::Model, by_file::Inputs, by_file::Outputs>("by_file", read_file(argv[1]), in, expected);
  ok = same_as_plain<by_env::Model, by_env::Inputs, by_env::Outputs>("by_env", from_hex(std::getenv("APP_MODEL_KEY")),
                                                                     in, expected) && ok;
  try {
    by_file::Model no_key;
    std::printf("without a key: LOADED\n");
    ok = false;
  } catch (const rknn::Error& e) {
    std::printf("without a key: refused (%s)\n", e.code() == RKNN_ERR_MODEL_INVALID ? "RKNN_ERR_MODEL_INVALID" : "?");
    ok = ok && e.code() == RKNN_ERR_MODEL_INVALID;
  }
  return ok ? 0 : 1;
}
