#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "rknn/sim/error.h"
#include "rknn/sim/half.h"
#include "sim_test_util.h"

namespace rknn::sim {
namespace {

TEST(Half, RoundTripsEveryHalfValue) {
  for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    const float f = half_to_float(h);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(half_to_float(float_to_half(f))));
      continue;
    }
    EXPECT_EQ(float_to_half(f), h) << "bits " << bits;
  }
}

TEST(Half, RoundsToNearestEven) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // halfway to the next step rounds to inf
  EXPECT_EQ(float_to_half(1.0f + 1.0f / 2048.0f), 0x3c00);  // tie, even stays
  EXPECT_EQ(float_to_half(1.0f + 3.0f / 2048.0f), 0x3c02);  // tie, odd rounds up
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -25)), 0x0000);  // tie to even zero
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
}

TEST(Shape, BroadcastsLikeNumpy) {
  EXPECT_EQ(broadcast_shapes(Shape{2, 1, 4}, Shape{3, 1}, "t"), (Shape{2, 3, 4}));
  EXPECT_THROW(broadcast_shapes(Shape{2, 3}, Shape{4}, "t"), Error);
}

TEST(ThreadPool, CoversEveryIndexOnceWhateverTheThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    std::vector<int> hits(1001, 0);
    pool.parallel_for(static_cast<std::int64_t>(hits.size()), 7, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) ++hits[static_cast<std::size_t>(i)];
    });
    for (int h : hits) ASSERT_EQ(h, 1) << threads << " threads";
  }
}

TEST(Registry, UnknownOpIsUnsupportedAndNamesTheNode) {
  OpNode node{"FancyOp", "n1", {}};
  try {
    prepare_node(node, {});
    FAIL() << "expected UnsupportedError";
  } catch (const UnsupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("FancyOp node 'n1'"), std::string::npos) << e.what();
  }
}

TEST(Tensor, IsAlignedAndZeroFilled) {
  Tensor t(DType::kFloat32, {3, 5});
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw()) % Tensor::kAlignment, 0u);
  for (float v : t.values<float>()) EXPECT_EQ(v, 0.0f);
  EXPECT_THROW(t.data<std::int64_t>(), Error);
  EXPECT_THROW(t.reshape({4, 4}), Error);
}

}  // namespace
}  // namespace rknn::sim
