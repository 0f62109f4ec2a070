// An owning, 64-byte aligned, typed n-dimensional array.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rknn/sim/dtype.h"
#include "rknn/sim/shape.h"

namespace rknn::sim {

struct TensorType {
  DType dtype = DType::kFloat32;
  Shape shape;

  std::int64_t element_count() const { return sim::element_count(shape); }
  std::size_t byte_size() const { return static_cast<std::size_t>(element_count()) * dtype_size(dtype); }
  std::string to_string() const;  // e.g. "float32[1,3,224,224]"
  bool operator==(const TensorType&) const = default;
};

class Tensor {
 public:
  static constexpr std::size_t kAlignment = 64;

  Tensor() = default;
  explicit Tensor(TensorType type);  // zero-filled
  Tensor(DType dtype, Shape shape) : Tensor(TensorType{dtype, std::move(shape)}) {}
  // A read-only view of memory owned elsewhere (e.g. model weights in flash);
  // `data` must stay valid as long as the tensor. Copies are owning.
  static Tensor borrow(TensorType type, const std::byte* data);
  // A writable view of memory owned elsewhere (the executor's planned
  // activation arena); `data` must stay valid as long as the tensor.
  static Tensor view(TensorType type, std::byte* data);
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;
  ~Tensor() = default;

  const TensorType& type() const { return type_; }
  DType dtype() const { return type_.dtype; }
  const Shape& shape() const { return type_.shape; }
  std::int64_t element_count() const { return type_.element_count(); }
  std::size_t byte_size() const { return type_.byte_size(); }

  std::byte* raw() { return data_.get(); }
  const std::byte* raw() const { return data_.get(); }
  bool is_borrowed() const { return !data_.get_deleter().owned; }

  // Typed access; throws Error if T does not match the element type.
  template <class T>
  T* data() {
    check_type(DTypeOf<T>::value);
    return reinterpret_cast<T*>(data_.get());
  }
  template <class T>
  const T* data() const {
    check_type(DTypeOf<T>::value);
    return reinterpret_cast<const T*>(data_.get());
  }
  template <class T>
  std::span<T> values() { return {data<T>(), static_cast<std::size_t>(element_count())}; }
  template <class T>
  std::span<const T> values() const { return {data<T>(), static_cast<std::size_t>(element_count())}; }

  // Same bytes, new shape with the same element count.
  void reshape(Shape shape);

  // Reads any integer tensor (int32/int64/uint8/...) as int64 values, for
  // shape-like inputs such as Reshape's shape or Slice's starts.
  std::vector<std::int64_t> to_int64_vector() const;
  // Reads any float or integer tensor as float values.
  std::vector<float> to_float_vector() const;

  bool bytes_equal(const Tensor& other) const;

 private:
  struct AlignedDelete {
    AlignedDelete() : owned(true) {}
    explicit AlignedDelete(bool is_owned) : owned(is_owned) {}
    void operator()(std::byte* p) const;
    bool owned;
  };
  void check_type(DType expected) const;

  TensorType type_;
  std::unique_ptr<std::byte[], AlignedDelete> data_;
};

// Convenience constructors for constants.
Tensor make_int64_tensor(std::span<const std::int64_t> values, Shape shape);
Tensor make_float_tensor(std::span<const float> values, Shape shape);

}  // namespace rknn::sim
