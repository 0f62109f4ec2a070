#include "rknn/sim/tensor.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "rknn/sim/error.h"
#include "rknn/sim/half.h"

namespace rknn::sim {

std::string TensorType::to_string() const {
  return std::string(dtype_name(dtype)) + shape_to_string(shape);
}

void Tensor::AlignedDelete::operator()(std::byte* p) const {
  if (owned) ::operator delete[](p, std::align_val_t{kAlignment});
}

Tensor Tensor::borrow(TensorType type, const std::byte* data) {
  Tensor t;
  t.type_ = std::move(type);
  // Kernels never write constants; the const is restored by every accessor they use.
  t.data_ = std::unique_ptr<std::byte[], AlignedDelete>(const_cast<std::byte*>(data), AlignedDelete{false});
  return t;
}

Tensor Tensor::view(TensorType type, std::byte* data) {
  Tensor t;
  t.type_ = std::move(type);
  t.data_ = std::unique_ptr<std::byte[], AlignedDelete>(data, AlignedDelete{false});
  return t;
}

Tensor::Tensor(TensorType type) : type_(std::move(type)) {
  for (std::int64_t d : type_.shape) {
    if (d < 0) throw Error("tensor shape " + shape_to_string(type_.shape) + " has a negative dimension");
  }
  // Always allocate at least one alignment unit so raw() is never null.
  const std::size_t bytes = std::max<std::size_t>(byte_size(), 1);
  const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  data_.reset(static_cast<std::byte*>(::operator new[](rounded, std::align_val_t{kAlignment})));
  std::memset(data_.get(), 0, rounded);
}

Tensor::Tensor(const Tensor& other) : Tensor(other.type_) {
  if (other.data_) std::memcpy(data_.get(), other.data_.get(), byte_size());
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) *this = Tensor(other);
  return *this;
}

void Tensor::reshape(Shape shape) {
  if (sim::element_count(shape) != element_count()) {
    throw Error("cannot reshape " + type_.to_string() + " to " + shape_to_string(shape));
  }
  type_.shape = std::move(shape);
}

void Tensor::check_type(DType expected) const {
  if (type_.dtype != expected) {
    throw Error("tensor of type " + std::string(dtype_name(type_.dtype)) + " accessed as " +
                std::string(dtype_name(expected)));
  }
}

namespace {
template <class Out, class Convert>
std::vector<Out> convert_all(const Tensor& t, Convert convert) {
  std::vector<Out> out(static_cast<std::size_t>(t.element_count()));
  const std::byte* p = t.raw();
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = convert(p, i);
  return out;
}

template <class T>
T load(const std::byte* p, std::size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return v;
}

template <class Out>
Out element_as(DType dtype, const std::byte* p, std::size_t i) {
  switch (dtype) {
    case DType::kFloat32: return static_cast<Out>(load<float>(p, i));
    case DType::kFloat16: return static_cast<Out>(half_to_float(load<std::uint16_t>(p, i)));
    case DType::kUInt8: return static_cast<Out>(load<std::uint8_t>(p, i));
    case DType::kBool: return static_cast<Out>(load<std::uint8_t>(p, i));
    case DType::kInt8: return static_cast<Out>(load<std::int8_t>(p, i));
    case DType::kInt16: return static_cast<Out>(load<std::int16_t>(p, i));
    case DType::kInt32: return static_cast<Out>(load<std::int32_t>(p, i));
    case DType::kInt64: return static_cast<Out>(load<std::int64_t>(p, i));
  }
  return Out{};
}
}  // namespace

std::vector<std::int64_t> Tensor::to_int64_vector() const {
  if (dtype() == DType::kFloat32 || dtype() == DType::kFloat16) {
    throw Error("expected an integer tensor, got " + type_.to_string());
  }
  return convert_all<std::int64_t>(*this, [this](const std::byte* p, std::size_t i) {
    return element_as<std::int64_t>(dtype(), p, i);
  });
}

std::vector<float> Tensor::to_float_vector() const {
  return convert_all<float>(*this, [this](const std::byte* p, std::size_t i) {
    return element_as<float>(dtype(), p, i);
  });
}

bool Tensor::bytes_equal(const Tensor& other) const {
  return type_ == other.type_ && std::memcmp(raw(), other.raw(), byte_size()) == 0;
}

namespace {
template <class T>
Tensor make_tensor(std::span<const T> values, Shape shape) {
  Tensor t(DTypeOf<T>::value, std::move(shape));
  if (static_cast<std::size_t>(t.element_count()) != values.size()) {
    throw Error("constant of " + t.type().to_string() + " given " + std::to_string(values.size()) + " values");
  }
  std::copy(values.begin(), values.end(), t.data<T>());
  return t;
}
}  // namespace

Tensor make_int64_tensor(std::span<const std::int64_t> values, Shape shape) {
  return make_tensor(values, std::move(shape));
}

Tensor make_float_tensor(std::span<const float> values, Shape shape) {
  return make_tensor(values, std::move(shape));
}

}  // namespace rknn::sim
