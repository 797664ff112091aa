// The quantile sketch behind summaries past --summary-memory: its stated
// relative-error bound against exact order statistics and at bin edges,
// batches and merge order, and the ensemble's sketch path against its exact
// path for any thread count and block size.
#include "sim/core/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/ensemble/ensemble.h"
#include "sim/core/random_stream.h"
#include "sim/core/statistics.h"

namespace mfgsim {
namespace {

std::vector<double> sample(int n) {
  // Mixed signs, a wide range of magnitudes and exact zeros.
  const RandomStream stream(3, 4);
  std::vector<double> values;
  double z[4];
  for (int k = 0; values.size() < static_cast<std::size_t>(n); ++k) {
    stream.normals(k, 0, StreamPurpose::shocks, 0, z);
    for (double x : z) values.push_back(k % 17 == 0 ? 0.0 : std::exp(3 * x) * (x < -0.3 ? -1.0 : 1.0));
  }
  values.resize(n);
  return values;
}

// α((1 - f)|x_k| + f|x_k+1|) + kZeroThreshold for the type-7 quantile at q of
// `sorted` (ascending), plus a few ulp of the interpolation's own rounding.
double interpolation_bound(const std::vector<double>& sorted, double q, double alpha) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const std::size_t k = static_cast<std::size_t>(std::floor(h));
  const double f = h - static_cast<double>(k);
  const double lo = std::fabs(sorted[k]), hi = std::fabs(sorted[std::min(k + 1, sorted.size() - 1)]);
  return alpha * ((1 - f) * lo + f * hi) * (1 + 1e-12) + 4e-16 * std::max(lo, hi) + QuantileSketch::kZeroThreshold;
}

TEST(QuantileSketch, EveryOrderStatisticWithinTheRelativeBound) {
  for (double alpha : {1e-2, 1e-3}) {
    const std::vector<double> values = sample(5000);
    QuantileSketch sketch(alpha);
    for (double x : values) sketch.add(x);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sketch.count(), 5000);
    for (std::int64_t r = 0; r < 5000; ++r) {
      const double exact = sorted[r];
      EXPECT_LE(std::fabs(sketch.value_at_rank(r) - exact), alpha * std::fabs(exact) + QuantileSketch::kZeroThreshold)
          << "rank " << r << " alpha " << alpha;
    }
    // Type-7 quantiles interpolate two order statistics each within the bound.
    for (double q : kQuantileLevels) {
      const double exact = quantile_sorted(sorted.data(), 5000, q);
      EXPECT_LE(std::fabs(sketch.quantile(q) - exact), interpolation_bound(sorted, q, alpha)) << q;
    }
  }
}

// The header's bound for an interpolated quantile, α((1 - f)|x_k| + f|x_k+1|),
// is all a sketch can promise when x_k < 0 < x_k+1: the interpolation cancels,
// and the quantile's relative error exceeds α. Members placed so that every
// level's order statistics straddle zero: x_k = -1e-4, x_k+1 = 1.0003e-4
// (type-7 exact quantile 1.5e-8 at f = 0.5). The sketch's quantile is off by
// about 1e-7 (more than α = 1e-3 of the quantile) yet within the bound.
TEST(QuantileSketch, InterpolationAcrossZeroIsWithinTheAbsoluteBound) {
  const double alpha = 1e-3;
  std::vector<double> values(1001);
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = k < 500 ? -1e-4 - 1e-6 * static_cast<double>(499 - k)
                                                                     : 1.0003e-4 + 1e-6 * static_cast<double>(k - 500);
  // q = 0.4995: h = q (n - 1) = 499.5, between ranks 499 and 500.
  const double q = 0.4995;
  QuantileSketch sketch(alpha);
  sketch.add(values.data(), static_cast<std::int64_t>(values.size()));
  const double exact = quantile_sorted(values.data(), values.size(), q);
  EXPECT_NEAR(exact, 1.5e-8, 1e-18);
  const double error = std::fabs(sketch.quantile(q) - exact);
  EXPECT_GT(error, alpha * std::fabs(exact));  // relative to the quantile: beyond α
  EXPECT_LE(error, interpolation_bound(values, q, alpha));
  EXPECT_LE(interpolation_bound(values, q, alpha), alpha * 1.0002e-4 * (1 + 1e-9) + QuantileSketch::kZeroThreshold);
}

// The header's bound: m = 9 mantissa bits (N = 512) for α = 1e-3, so every
// value is represented within 1/(2N + 1) = 1/1025; 6 bits for 1e-2 (1/129).
// Checked at both ends of bins (lo, and the largest double below hi) across
// exponents, where the error is largest: it must come within 1% of the
// bound there (the representative is the harmonic mean of the ends) and
// never exceed it.
TEST(QuantileSketch, BitPatternBinsMeetTheBoundAtTheirEdges) {
  EXPECT_EQ(QuantileSketch(1e-3).mantissa_bits(), 9);
  EXPECT_EQ(QuantileSketch(1e-3).bound(), 1.0 / 1025.0);
  EXPECT_EQ(QuantileSketch(1e-2).mantissa_bits(), 6);
  for (double alpha : {1e-2, 1e-3}) {
    const QuantileSketch probe(alpha);
    const double n = std::ldexp(1.0, probe.mantissa_bits());
    double worst = 0.0;
    for (int e : {-39, -3, 0, 1, 7, 30, 1000})
      for (double j : {0.0, 1.0, n / 2, n - 1}) {
        const double lo = std::ldexp(1.0 + j / n, e), hi = std::ldexp(1.0 + (j + 1) / n, e);
        for (double x : {lo, std::nextafter(hi, 0.0), -lo, 0.5 * (lo + hi)}) {
          QuantileSketch sketch(alpha);
          sketch.add(x);
          const double error = std::fabs(sketch.value_at_rank(0) - x) / std::fabs(x);
          EXPECT_LE(error, probe.bound() * (1 + 1e-12)) << "x " << x;  // r rounded: a few ulp
          worst = std::max(worst, error);
        }
      }
    EXPECT_LT(probe.bound() * (1 + 1e-12), alpha);
    EXPECT_GT(worst, 0.99 * probe.bound());
  }
}

// Batches of any size give the same sketch as values one at a time.
TEST(QuantileSketch, BatchesEqualOneAtATime) {
  const std::vector<double> values = sample(4000);
  QuantileSketch single, batched;
  for (double x : values) single.add(x);
  for (std::size_t start = 0, size = 1; start < values.size(); start += size, size = size * 3 + 1)
    batched.add(values.data() + start, static_cast<std::int64_t>(std::min(size, values.size() - start)));
  ASSERT_EQ(batched.count(), single.count());
  for (std::int64_t r = 0; r < 4000; ++r) ASSERT_EQ(batched.value_at_rank(r), single.value_at_rank(r)) << r;
}

TEST(QuantileSketch, MergeOrderDoesNotMatter) {
  const std::vector<double> values = sample(3000);
  QuantileSketch whole, a, b, c;
  for (double x : values) whole.add(x);
  for (std::size_t k = 0; k < values.size(); ++k) (k % 3 == 0 ? a : k % 3 == 1 ? b : c).add(values[k]);
  QuantileSketch abc = a, cba = c;
  abc.merge(b);
  abc.merge(c);
  cba.merge(b);
  cba.merge(a);
  for (std::int64_t r = 0; r < 3000; r += 7) {
    EXPECT_EQ(abc.value_at_rank(r), whole.value_at_rank(r));
    EXPECT_EQ(cba.value_at_rank(r), whole.value_at_rank(r));
  }
}

TEST(QuantileSketch, NaNsAreCountedApart) {
  QuantileSketch sketch;
  sketch.add(std::nan(""));
  sketch.add(2.0);
  EXPECT_EQ(sketch.count(), 1);
  EXPECT_EQ(sketch.nan_count(), 1);
  EXPECT_NEAR(sketch.quantile(0.5), 2.0, 2.0 * 1e-3);
}

// 32-bit keys count exactly as the values do: the same count, NaN count and
// order statistic at every rank, for mixed signs with zeros, NaN and
// infinities (the chunked path), for both signs without them (one pass
// into both sides), for one sign only (the direct path), for every value
// in one bin, and for all zeros and all NaN (counted without a pass); keys
// refuse a sketch finer than 19 mantissa bits.
TEST(QuantileSketch, KeysCountExactlyAsTheValues) {
  std::vector<double> mixed = sample(3000);
  mixed.push_back(std::nan(""));
  mixed.push_back(HUGE_VAL);
  mixed.push_back(-HUGE_VAL);
  mixed.push_back(-0.0);
  std::vector<double> positive, negative, signed_values;
  for (double x : mixed)
    if (x > QuantileSketch::kZeroThreshold && std::isfinite(x)) positive.push_back(x);
    else if (x < -QuantileSketch::kZeroThreshold && std::isfinite(x)) negative.push_back(x);
  for (double x : mixed)
    if (std::abs(x) > QuantileSketch::kZeroThreshold && std::isfinite(x)) signed_values.push_back(x);
  ASSERT_GT(negative.size(), 500u);
  ASSERT_GT(positive.size(), 500u);
  std::vector<double> one_bin(1500, 3.25), zeros(1500, 0.0), nans(1500, std::nan(""));
  for (const std::vector<double>* values : {&mixed, &signed_values, &positive, &negative, &one_bin, &zeros, &nans}) {
    QuantileSketch by_value, by_key;
    by_value.add(values->data(), static_cast<std::int64_t>(values->size()));
    std::vector<std::uint32_t> keys(values->size());
    by_key.keys_of(values->data(), static_cast<std::int64_t>(values->size()), keys.data());
    by_key.add_keys(keys.data(), 1000);  // in two batches
    by_key.add_keys(keys.data() + 1000, static_cast<std::int64_t>(keys.size()) - 1000);
    ASSERT_EQ(by_key.count(), by_value.count());
    ASSERT_EQ(by_key.nan_count(), by_value.nan_count());
    ASSERT_EQ(by_key.nan_count(), values == &nans ? 1500 : values == &mixed ? 1 : 0);
    for (std::int64_t r = 0; r < by_value.count(); r += r + 40 < by_value.count() ? 37 : 1)
      ASSERT_EQ(by_key.value_at_rank(r), by_value.value_at_rank(r)) << r;  // every 37th, and the top 40
  }
  EXPECT_EQ(QuantileSketch(1e-3).mantissa_bits(), 9);
  QuantileSketch fine(1e-7);
  ASSERT_GT(fine.mantissa_bits(), QuantileSketch::kMaxKeyBits);
  std::uint32_t key = 0;
  EXPECT_THROW(fine.keys_of(mixed.data(), 1, &key), std::logic_error);
  EXPECT_THROW(fine.add_keys(&key, 1), std::logic_error);
}

// A run counted where the sketch's bins already cover it (covered, then
// add_covered, as the ensemble's sketch path counts a block's row) gives the
// same sketch as add; a run with a value outside the bins, of both signs, at
// or below the zero threshold, infinite or NaN is refused and counts nothing;
// remove_covered takes back exactly what was counted.
TEST(QuantileSketch, CoveredRunsCountAsAddAndAreTakenBackExactly) {
  std::vector<double> positive;
  for (double x : sample(3000))
    if (x > 1e-3 && x < 1e3) positive.push_back(x);
  ASSERT_GT(positive.size(), 1000u);
  std::vector<double> negative(positive.size());
  for (std::size_t k = 0; k < positive.size(); ++k) negative[k] = -positive[k];
  for (const std::vector<double>* values : {&positive, &negative}) {
    const auto n = static_cast<std::int64_t>(values->size());
    QuantileSketch by_add, covered;
    by_add.add(values->data(), n);
    covered.add(values->data(), 200);  // bins for the first 200 (and a margin)
    std::int64_t direct = 0;
    for (std::int64_t start = 200; start < n; start += 32) {
      const std::int64_t size = std::min<std::int64_t>(32, n - start);
      if (covered.add_if_covered(values->data() + start, size)) {
        direct += size;
      } else {
        covered.add(values->data() + start, size);
      }
    }
    EXPECT_GT(direct, n / 2);  // most runs fall in the bins the first 200 made
    ASSERT_EQ(covered.count(), by_add.count());
    for (std::int64_t r = 0; r < n; ++r) ASSERT_EQ(covered.value_at_rank(r), by_add.value_at_rank(r)) << r;

    // Taken back: the same sketch as never having counted them.
    QuantileSketch::Covered where;
    ASSERT_TRUE(covered.covered(values->data() + 10, 5, where));
    covered.add_covered(values->data() + 10, 5, where);
    covered.remove_covered(values->data() + 10, 5);
    ASSERT_EQ(covered.count(), by_add.count());
    for (std::int64_t r = 0; r < n; ++r) ASSERT_EQ(covered.value_at_rank(r), by_add.value_at_rank(r)) << r;
  }

  // A run whose values share one bin (a series every member shares; counted
  // by one addition): the same sketch as add, and taken back as well.
  {
    // 5.16's bin is [4 (1 + 148/512), 4 (1 + 149/512)) = [5.15625, 5.1640625): `near` shares it.
    const std::vector<double> same(100, 5.16), near = {5.16, 5.1601, 5.16005};
    QuantileSketch by_add, covered;
    by_add.add(same.data(), 100);
    by_add.add(near.data(), 3);
    covered.add(same.data(), 1);
    QuantileSketch::Covered one;
    ASSERT_TRUE(covered.covered(same.data() + 1, 99, one));
    EXPECT_EQ(one.lo, one.hi);
    covered.add_covered(same.data() + 1, 99, one);
    ASSERT_TRUE(covered.covered(near.data(), 3, one));
    EXPECT_EQ(one.lo, one.hi);
    covered.add_covered(near.data(), 3, one);
    ASSERT_EQ(covered.count(), 103);
    for (std::int64_t r = 0; r < 103; ++r) ASSERT_EQ(covered.value_at_rank(r), by_add.value_at_rank(r)) << r;
    covered.remove_covered(same.data(), 50);
    EXPECT_EQ(covered.count(), 53);
    EXPECT_EQ(covered.value_at_rank(52), by_add.value_at_rank(0));
    EXPECT_THROW(covered.remove_covered(same.data(), 54), std::logic_error);  // the bin holds 53
  }

  QuantileSketch sketch;
  sketch.add(positive.data(), static_cast<std::int64_t>(positive.size()));
  const std::int64_t count = sketch.count();
  const double in = positive[0];
  QuantileSketch::Covered where;
  EXPECT_TRUE(sketch.covered(&in, 1, where));
  const double refused[][2] = {{in, -in},
                               {in, 0.0},
                               {in, QuantileSketch::kZeroThreshold / 2},
                               {in, std::nan("")},
                               {in, HUGE_VAL},
                               {in, 1e6},     // past the bins' top (values below 1e3 made them)
                               {in, 1e-6}};  // below their bottom
  for (const auto& run : refused) {
    EXPECT_FALSE(sketch.covered(run, 2, where)) << run[1];
    EXPECT_FALSE(sketch.add_if_covered(run, 2)) << run[1];
  }
  EXPECT_FALSE(QuantileSketch().covered(&in, 1, where));  // no bins yet
  EXPECT_EQ(sketch.count(), count);
  EXPECT_EQ(sketch.nan_count(), 0);
  // A value in no counted bin cannot be taken back.
  const double outside[] = {1e6, -in, 0.0};
  for (double x : outside) EXPECT_THROW(sketch.remove_covered(&x, 1), std::logic_error) << x;
  EXPECT_EQ(sketch.count(), count);
}

TEST(QuantileSketch, KeyRowsCountAsTheirKeysInOneRun) {
  // Rows of uneven length (none, a tail of fewer than 16 keys, a full row)
  // a stride apart, as a flush hands a cell's staged slots: the same sketch
  // as the rows' keys in one run, for each kind of cell add_key_rows counts
  // apart (mixed signs, one sign, zeros or NaN among them, one bin).
  std::vector<double> mixed = sample(3000);
  mixed.push_back(std::nan(""));
  std::vector<double> positive, signed_values, one_bin(700, 3.25);
  for (double x : mixed)
    if (std::abs(x) > QuantileSketch::kZeroThreshold && std::isfinite(x)) {
      signed_values.push_back(x);
      if (x > 0) positive.push_back(x);
    }
  constexpr std::int64_t kStride = 40;
  const std::int64_t pattern[] = {32, 0, 17, 40, 5, 1, 39, 16};
  for (const std::vector<double>* values : {&mixed, &signed_values, &positive, &one_bin}) {
    QuantileSketch in_one_run, in_rows;
    std::vector<std::uint32_t> keys(values->size());
    in_one_run.keys_of(values->data(), static_cast<std::int64_t>(values->size()), keys.data());
    in_one_run.add_keys(keys.data(), static_cast<std::int64_t>(keys.size()));
    std::vector<std::uint32_t> rows;
    std::vector<std::int64_t> lengths;
    for (std::size_t next = 0; next < keys.size();) {
      const auto length = std::min<std::int64_t>(pattern[lengths.size() % 8], static_cast<std::int64_t>(keys.size() - next));
      lengths.push_back(length);
      rows.resize(lengths.size() * kStride, 0xDEADBEEFu);  // padding that must not be read
      std::copy(keys.begin() + next, keys.begin() + next + length, rows.end() - kStride);
      next += length;
    }
    in_rows.add_key_rows(rows.data(), kStride, lengths.data(), static_cast<int>(lengths.size()));
    ASSERT_EQ(in_rows.count(), in_one_run.count());
    ASSERT_EQ(in_rows.nan_count(), in_one_run.nan_count());
    for (std::int64_t r = 0; r < in_one_run.count(); ++r) ASSERT_EQ(in_rows.value_at_rank(r), in_one_run.value_at_rank(r)) << r;
  }
}

TEST(EnsembleSketches, SketchPathIsThreadInvariantAndWithinTheBoundOfExact) {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 30;
  EnsembleRequest request;
  request.members = 300;
  request.stochastic = true;
  request.keep_members = false;
  request.summarise = true;
  request.outputs.names = {"manufacturing_va_ytd_yoy", "va"};
  request.threads = 1;
  const EnsembleResult exact = run_ensemble(scenario, request);
  ASSERT_TRUE(exact.summary->exact);
  request.exact_summary_bytes = 1;  // force sketches
  const EnsembleResult one = run_ensemble(scenario, request);
  // Same block size: the sketch path sums means in 32-member chunks in
  // member order, so they are identical for any thread count (a block size
  // that is not a multiple of 32, as 8 below, regroups the sum and may
  // change the last bits).
  request.threads = 2;
  const EnsembleResult two = run_ensemble(scenario, request);
  // Another block size: the same quantiles (integer counts per bin).
  request.block_size = 8;
  const EnsembleResult small_blocks = run_ensemble(scenario, request);
  ASSERT_FALSE(one.summary->exact);
  const auto& e = exact.summary->aggregate;
  const auto& s1 = one.summary->aggregate;
  const auto& s2 = two.summary->aggregate;
  int checked = 0;
  for (std::size_t k = 0; k < e.size(); ++k) {
    ASSERT_EQ(e[k].defined, s1[k].defined);
    if (!e[k].defined) continue;
    EXPECT_EQ(s1[k].mean, s2[k].mean);
    EXPECT_NEAR(s1[k].mean, e[k].mean, 1e-12 * std::fabs(e[k].mean));
    for (int q = 0; q < 5; ++q) {
      EXPECT_EQ(s1[k].quantiles[q], s2[k].quantiles[q]);
      EXPECT_EQ(s1[k].quantiles[q], small_blocks.summary->aggregate[k].quantiles[q]);
      // Within alpha of the larger order statistic around the exact quantile;
      // bounded here by alpha times the cell's largest magnitude among p05..p95.
      double scale = 0.0;
      for (double x : e[k].quantiles) scale = std::max(scale, std::fabs(x));
      EXPECT_NEAR(s1[k].quantiles[q], e[k].quantiles[q], 1e-3 * scale + 1e-12);
    }
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
}  // namespace mfgsim
