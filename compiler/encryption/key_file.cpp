#include "encryption/key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "ir/error.h"

namespace rknn::encryption {
namespace {

// No key file is larger: a level 3 secret, its newline and some slack.
constexpr std::size_t kMaxFileSize = 4096;

bool is_space(std::byte b) {
  const auto c = std::to_integer<unsigned char>(b);
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hex_value(std::byte b) {
  const auto c = std::to_integer<unsigned char>(b);
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The file's bytes, read with plain POSIX calls so that no stream buffer
// keeps a copy of the key.
SecretBytes read_secret_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw CompileError("key file '" + path + "': " + std::strerror(errno));
  SecretBytes bytes(kMaxFileSize + 1);
  std::size_t size = 0;
  while (size < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + size, bytes.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw CompileError("key file '" + path + "': " + std::strerror(error));
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (size > kMaxFileSize) {
    throw CompileError("key file '" + path + "' is larger than " + std::to_string(kMaxFileSize) + " bytes");
  }
  bytes.truncate(size);
  return bytes;
}

// 64 hex digits (white space around them ignored) as 32 bytes; empty otherwise.
SecretBytes decode_hex_key(std::span<const std::byte> text) {
  while (!text.empty() && is_space(text.front())) text = text.subspan(1);
  while (!text.empty() && is_space(text.back())) text = text.first(text.size() - 1);
  if (text.size() != 2 * kKeySize) return {};
  SecretBytes key(kKeySize);
  for (std::size_t i = 0; i < kKeySize; ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return {};
    key.data()[i] = static_cast<std::byte>(hi * 16 + lo);
  }
  return key;
}

// Level 3: the secret as it is, minus one trailing "\n" or "\r\n".
SecretBytes level3_secret(SecretBytes bytes, const std::string& where) {
  std::size_t size = bytes.size();
  if (size > 0 && bytes.data()[size - 1] == std::byte{'\n'}) --size;
  if (size > 0 && bytes.data()[size - 1] == std::byte{'\r'}) --size;
  bytes.truncate(size);
  if (const std::string problem = secret_size_problem(3, size); !problem.empty()) {
    throw CompileError(where + ": " + problem);
  }
  return bytes;
}

SecretBytes key_from_file(const std::string& path, int level) {
  SecretBytes bytes = read_secret_file(path);
  const std::string where = "key file '" + path + "'";
  if (level == 3) return level3_secret(std::move(bytes), where);
  if (bytes.size() == kKeySize) return bytes;
  SecretBytes key = decode_hex_key(bytes.span());
  if (key.empty()) {
    throw CompileError(where + ": a level " + std::to_string(level) + " key is 32 raw bytes or 64 hex digits; the file holds " +
                       std::to_string(bytes.size()) + " bytes that are neither");
  }
  return key;
}

SecretBytes key_from_env(const std::string& name, int level) {
  const char* value = std::getenv(name.c_str());
  const std::string where = "environment variable " + name;
  if (!value) throw CompileError(where + " is not set; it must hold the key while the build runs (KEY_ENV, --key-env)");
  const std::span<const std::byte> text(reinterpret_cast<const std::byte*>(value), std::strlen(value));
  if (level == 3) return level3_secret(SecretBytes(text), where);
  SecretBytes key = decode_hex_key(text);
  if (key.empty()) {
    throw CompileError(where + ": a level " + std::to_string(level) + " key is 64 hex digits; the value holds " +
                       std::to_string(text.size()) + " characters that are not");
  }
  return key;
}

}  // namespace

SecretBytes read_key(const KeySpec& spec, int level) {
  if (level < kMinLevel || level > kMaxLevel) {
    throw CompileError("encryption level " + std::to_string(level) + ": expected 1, 2 or 3");
  }
  if (!spec.file.empty() && !spec.env.empty()) throw CompileError("give --key-file or --key-env, not both");
  if (!spec.file.empty()) return key_from_file(spec.file, level);
  if (!spec.env.empty()) return key_from_env(spec.env, level);
  throw CompileError("no key: give --key-file FILE or --key-env VARIABLE");
}

SecretBytes read_key_for(std::span<const std::byte> artifact, const KeySpec& spec) {
  if (!spec.given() || !is_encrypted(artifact)) return {};
  try {
    return read_key(spec, read_envelope(artifact).level);
  } catch (const format::FormatError& e) {
    throw CompileError(e.what());
  }
}

}  // namespace rknn::encryption
