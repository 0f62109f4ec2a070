// The runtime built without decryption (RKNN_RUNTIME_DECRYPTION=OFF), for a
// board without OpenSSL: encrypted models are recognised and refused with a
// message that says why; everything else loads as usual.
#include <string>

#include "decrypt.h"
#include "rknn_model_generated.h"

namespace rknn::encryption {

bool is_encrypted(std::span<const std::byte> bytes) noexcept {
  if (!format::looks_like_model(bytes)) return false;
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t size = std::size_t{flatbuffers::GetPrefixedSize(base)} + sizeof(flatbuffers::uoffset_t);
  if (size > bytes.size()) return false;
  flatbuffers::Verifier verifier(base, size);
  return format::fb::VerifySizePrefixedModelBuffer(verifier) &&
         format::fb::GetSizePrefixedModel(base)->encryption() != nullptr;
}

Decrypted decrypt_artifact(std::span<const std::byte> /*bytes*/, const KeySource& /*source*/) {
  throw format::FormatError(
      "invalid model: the model is encrypted and this runtime was built without decryption "
      "(RKNN_RUNTIME_DECRYPTION=OFF)");
}

}  // namespace rknn::encryption
