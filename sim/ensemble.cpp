#include "sim/ensemble.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/calendar.h"

namespace mfgsim {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

namespace {

// Calls work(index) for index in [0, count) over `threads` threads; each
// worker gets its own state from make_state().
template <class MakeState, class Work>
void parallel_for(std::int64_t count, int threads, MakeState make_state, Work work) {
  std::atomic<std::int64_t> next{0};
  auto worker = [&] {
    auto state = make_state();
    for (std::int64_t index = next++; index < count; index = next++) work(index, state);
  };
  const int n = static_cast<int>(std::min<std::int64_t>(threads, std::max<std::int64_t>(count, 1)));
  std::vector<std::thread> pool;
  for (int k = 1; k < n; ++k) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

}  // namespace

EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleRequest& request) {
  if (request.members < 1) throw RunError("members must be at least 1");
  const std::uint64_t bytes =
      SeriesStore::bytes_needed(scenario.params.sectors.size(), scenario.calendar.months, request.members);
  constexpr std::uint64_t kMaxBytes = 16ull << 30;
  if (bytes > kMaxBytes)
    throw RunError("holding " + std::to_string(request.members) + " members of every series needs " +
                   std::to_string(bytes >> 20) + " MiB (limit " + std::to_string(kMaxBytes >> 20) +
                   " MiB): use fewer members or months");

  EngineOptions engine_options;
  engine_options.stochastic = request.stochastic;
  engine_options.block_size = static_cast<int>(std::min<std::int64_t>(request.block_size, request.members));
  Engine engine(scenario, engine_options);

  EnsembleResult result;
  result.threads = resolve_thread_count(request.threads);
  result.store = std::make_unique<SeriesStore>(scenario, request.members);

  const int block = engine_options.block_size;
  const std::int64_t blocks = (request.members + block - 1) / block;
  std::mutex error_mutex;
  std::optional<std::pair<std::int64_t, std::string>> first_error;  // lowest member wins: deterministic
  std::atomic<std::int64_t> done{0};
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::int64_t> last_log_ms{0};

  parallel_for(blocks, result.threads, [&] { return engine.make_workspace(); },
               [&](std::int64_t b, Workspace& ws) {
                 const std::int64_t first = b * block;
                 const int count = static_cast<int>(std::min<std::int64_t>(block, request.members - first));
                 if (auto error = engine.run_block(first, count, ws, *result.store)) {
                   std::lock_guard lock(error_mutex);
                   if (!first_error || first < first_error->first) first_error.emplace(first, *error);
                 }
                 const std::int64_t finished = done += count;
                 const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - start).count();
                 std::int64_t previous = last_log_ms.load();
                 if (ms - previous >= 2000 && last_log_ms.compare_exchange_strong(previous, ms))
                   spdlog::info("{}: {}/{} members done", scenario.name, finished, request.members);
               });
  if (first_error) throw RunError(scenario.name + ": " + first_error->second);
  result.store->derive();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

SummaryTable summarise_store(const SeriesStore& store, const std::vector<std::string>& sector_names, int threads) {
  const int S = store.sectors(), T = store.months();
  SummaryTable table;
  table.sector.resize(static_cast<size_t>(kSectorSeriesCount) * S * T);
  table.aggregate.resize(static_cast<size_t>(kAggregateSeriesCount) * T);
  const std::int64_t sector_cells = static_cast<std::int64_t>(table.sector.size());
  const std::int64_t cells = sector_cells + static_cast<std::int64_t>(table.aggregate.size());
  std::mutex error_mutex;
  std::optional<std::pair<std::int64_t, std::string>> first_error;
  parallel_for(cells, resolve_thread_count(threads), [] { return std::vector<double>(); },
               [&](std::int64_t c, std::vector<double>& scratch) {
                 const double* values;
                 CellSummary* out;
                 std::string what;
                 int t;
                 if (c < sector_cells) {
                   t = static_cast<int>(c % T);
                   const int i = static_cast<int>((c / T) % S);
                   const auto s = static_cast<SectorSeries>(c / T / S);
                   values = store.cell(s, i, t);
                   out = &table.sector[c];
                   what = std::string(series_name(s)) + " of " + sector_names[i];
                 } else {
                   const std::int64_t a = c - sector_cells;
                   t = static_cast<int>(a % T);
                   const auto series = static_cast<AggregateSeries>(a / T);
                   values = store.cell(series, t);
                   out = &table.aggregate[a];
                   what = std::string(series_name(series));
                 }
                 std::int64_t nans = 0;
                 if (!summarise(values, store.members(), scratch, out, &nans)) {
                   std::lock_guard lock(error_mutex);
                   if (!first_error || c < first_error->first)
                     first_error.emplace(c, what + " in " + format_year_month(store.calendar().at(t)) + ": " +
                                                std::to_string(nans) + " of " + std::to_string(store.members()) +
                                                " members gave NaN");
                 }
               });
  if (first_error) throw RunError(first_error->second);
  return table;
}

}  // namespace mfgsim
