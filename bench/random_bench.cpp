// The month loop's random numbers alone (CompiledRun::draw_normals): 11 rows
// (1 + 10 sectors) of uniforms for a block of 128 members from Philox4x64-10,
// one counter at a time (RandomStream::words, the loop before batching) or
// in batches of N members (sim/core/philox_batch.h), then with the normal
// quantile on the whole block. Items are uniforms or normals.
#include <benchmark/benchmark.h>

#include <Random123/uniform.hpp>
#include <vector>

#include "sim/core/normal_quantile.h"
#include "sim/core/philox_batch.h"
#include "sim/core/random_stream.h"

namespace {

constexpr int kRows = 11;
constexpr int kMembers = 128;
constexpr std::uint64_t kSeed = 20240601;

void scalar_rows(const mfgsim::RandomStream& stream, std::uint64_t month, double* u) {
  for (int m = 0; m < kMembers; ++m) {
    std::array<std::uint64_t, 4> words{};
    for (int r = 0; r < kRows; ++r) {
      if (r % 4 == 0) words = stream.words(static_cast<std::uint64_t>(m), month, mfgsim::StreamPurpose::shocks,
                                           static_cast<std::uint64_t>(r / 4));
      u[r * kMembers + m] = r123::u01fixedpt<double>(words[r % 4]);
    }
  }
}

template <int N>
void batch_rows(std::uint64_t month, double* u) {
  mfgsim::philox_uniform_rows<N>(kSeed, mfgsim::kModelStreamKey, 0, month,
                                 static_cast<std::uint64_t>(mfgsim::StreamPurpose::shocks), kRows, kMembers, kMembers, u);
}

void BM_UniformsOneCounterAtATime(benchmark::State& state) {
  const mfgsim::RandomStream stream(kSeed, mfgsim::kModelStreamKey);
  std::vector<double> u(kRows * kMembers);
  std::uint64_t month = 0;
  for (auto _ : state) {
    scalar_rows(stream, month++, u.data());
    benchmark::DoNotOptimize(u.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kMembers);
}
BENCHMARK(BM_UniformsOneCounterAtATime);

template <int N>
void BM_UniformsBatched(benchmark::State& state) {
  std::vector<double> u(kRows * kMembers);
  std::uint64_t month = 0;
  for (auto _ : state) {
    batch_rows<N>(month++, u.data());
    benchmark::DoNotOptimize(u.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kMembers);
}
BENCHMARK_TEMPLATE(BM_UniformsBatched, 2);
BENCHMARK_TEMPLATE(BM_UniformsBatched, 3);
BENCHMARK_TEMPLATE(BM_UniformsBatched, 4);
BENCHMARK_TEMPLATE(BM_UniformsBatched, 8);
BENCHMARK_TEMPLATE(BM_UniformsBatched, 16);

// Uniforms, then the normal quantile on the whole block: draw_normals'
// work for one month of one block (N = 0: one counter at a time).
template <int N>
void BM_Normals(benchmark::State& state) {
  const mfgsim::RandomStream stream(kSeed, mfgsim::kModelStreamKey);
  std::vector<double> u(kRows * kMembers), x(kRows * kMembers);
  std::uint64_t month = 0;
  for (auto _ : state) {
    if constexpr (N == 0) scalar_rows(stream, month++, u.data());
    else batch_rows<N>(month++, u.data());
    mfgsim::normal_quantiles(u.data(), x.data(), kRows * kMembers);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kMembers);
}
BENCHMARK_TEMPLATE(BM_Normals, 0);
BENCHMARK_TEMPLATE(BM_Normals, mfgsim::kPhiloxBatch);

// The normal quantile alone.
void BM_NormalQuantiles(benchmark::State& state) {
  std::vector<double> u(kRows * kMembers), x(kRows * kMembers);
  batch_rows<mfgsim::kPhiloxBatch>(0, u.data());
  for (auto _ : state) {
    mfgsim::normal_quantiles(u.data(), x.data(), kRows * kMembers);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kMembers);
}
BENCHMARK(BM_NormalQuantiles);

}  // namespace
