#include "calibration/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ir/error.h"

namespace rknn::calibration {

Algorithm parse_algorithm(const std::string& name) {
  if (name == "normal") return Algorithm::kNormal;
  if (name == "kl_divergence") return Algorithm::kKlDivergence;
  if (name == "mmse") return Algorithm::kMmse;
  throw CompileError("unknown quantization algorithm '" + name + "'; expected normal, kl_divergence or mmse");
}

void TensorStatistics::observe_range(std::span<const float> values) {
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    if (!seen_) {
      min_ = max_ = v;
      seen_ = true;
    }
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
}

float TensorStatistics::bin_width() const {
  return std::max((max_ - min_) / static_cast<float>(kBins), std::numeric_limits<float>::min());
}

void TensorStatistics::observe_histogram(std::span<const float> values) {
  if (histogram_.empty()) histogram_.assign(kBins, 0.0);
  const float width = bin_width();
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    const auto bin = static_cast<std::int64_t>((v - min_) / width);
    histogram_[static_cast<std::size_t>(std::clamp<std::int64_t>(bin, 0, kBins - 1))] += 1.0;
  }
}

Range TensorStatistics::clip_range(Algorithm algorithm, std::int64_t levels) const {
  if (algorithm == Algorithm::kNormal || histogram_.empty() || max_ <= min_) return observed();
  return algorithm == Algorithm::kKlDivergence ? kl_range(levels) : mmse_range(levels);
}

namespace {

// KL(P || Q) for one candidate range (the TensorRT calibration rule): P is the
// histogram inside the range with the outliers folded into its end bins (what
// clipping makes of the data); Q is the same bins *without* the outliers,
// squeezed into `levels` buckets and spread back over the bins where P is not
// empty. The folded mass is what Q misses, so a range that clips much scores
// badly, and one with many bins per code scores badly through the squeeze.
double kl_divergence(const std::vector<double>& p, const std::vector<double>& inside, std::int64_t levels) {
  const auto n = static_cast<std::int64_t>(p.size());
  std::vector<double> q(p.size(), 0.0);
  for (std::int64_t b = 0; b < levels; ++b) {
    const std::int64_t lo = b * n / levels, hi = (b + 1) * n / levels;
    double sum = 0;
    std::int64_t nonzero = 0;
    for (std::int64_t i = lo; i < hi; ++i) {
      sum += inside[static_cast<std::size_t>(i)];
      nonzero += p[static_cast<std::size_t>(i)] > 0;
    }
    for (std::int64_t i = lo; i < hi; ++i) {
      if (p[static_cast<std::size_t>(i)] > 0) q[static_cast<std::size_t>(i)] = sum / double(nonzero);
    }
  }
  double p_total = 0, q_total = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    p_total += p[i];
    q_total += q[i];
  }
  double kl = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= 0) continue;
    const double pi = p[i] / p_total, qi = q[i] / q_total;
    kl += qi > 0 ? pi * std::log(pi / qi) : pi * 30.0;  // an empty bucket: a large, finite penalty
  }
  return kl;
}

}  // namespace

// Searches the clipping range whose end is nearest to where the data's
// information lies: candidate ranges keep the bins [lo, hi) grown
// symmetrically around the bin of 0 (or the nearest end), outliers folded in.
Range TensorStatistics::kl_range(std::int64_t levels) const {
  const auto n = static_cast<std::int64_t>(kBins);
  const float width = bin_width();
  const std::int64_t zero = std::clamp<std::int64_t>(static_cast<std::int64_t>(-min_ / width), 0, n - 1);
  const std::int64_t reach = std::max(zero, n - zero);
  double best = std::numeric_limits<double>::infinity();
  Range range = observed();
  for (std::int64_t half = std::max<std::int64_t>(levels / 2, 1); half <= reach; half += std::max<std::int64_t>(reach / 128, 1)) {
    const std::int64_t lo = std::max<std::int64_t>(zero - half, 0), hi = std::min(zero + half, n);
    if (hi - lo < levels) continue;  // fewer bins than codes: nothing would be lost, KL says 0
    const std::vector<double> inside(histogram_.begin() + lo, histogram_.begin() + hi);
    std::vector<double> p = inside;
    for (std::int64_t i = 0; i < lo; ++i) p.front() += histogram_[static_cast<std::size_t>(i)];
    for (std::int64_t i = hi; i < n; ++i) p.back() += histogram_[static_cast<std::size_t>(i)];
    const double kl = kl_divergence(p, inside, levels);
    if (kl < best) {
      best = kl;
      range = {min_ + float(lo) * width, min_ + float(hi) * width};
    }
  }
  return range;
}

// The range [min*a, max*a] (a in (0.5, 1]) minimizing the expected squared
// error of quantizing the histogram into `levels` codes, clipping included.
Range TensorStatistics::mmse_range(std::int64_t levels) const {
  const float width = bin_width();
  double best = std::numeric_limits<double>::infinity();
  Range range = observed();
  for (int step = 0; step <= 50; ++step) {
    const double a = 1.0 - 0.01 * step;
    const double lo = double(min_) * a, hi = double(max_) * a;
    const double scale = (hi - lo) / double(levels - 1);
    if (scale <= 0) break;
    double error = 0;
    for (std::size_t i = 0; i < histogram_.size(); ++i) {
      if (histogram_[i] == 0) continue;
      const double x = double(min_) + (double(i) + 0.5) * double(width);
      const double clipped = std::clamp(x, lo, hi);
      const double q = lo + std::nearbyint((clipped - lo) / scale) * scale;
      error += histogram_[i] * (x - q) * (x - q);
    }
    if (error < best) {
      best = error;
      range = {static_cast<float>(lo), static_cast<float>(hi)};
    }
  }
  return range;
}

}  // namespace rknn::calibration
