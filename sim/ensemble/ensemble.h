// Runs a scenario's ensemble over worker threads. Blocks of members are
// handed out dynamically, but every member's numbers depend only on its
// index and the seed (counter-based streams), each block's values reach the
// summaries in a thread-independent way (exact quantiles, means and standard
// errors of the means are computed from all members in member order;
// sketches merge integer counts; means and squared deviations are pooled
// block by block in block order): results are identical whatever the thread
// count.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/ensemble/run_error.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/series.h"
#include "sim/engine/series_store.h"
#include "sim/core/progress.h"
#include "sim/core/statistics.h"

namespace mfgsim {

// Summaries of every cell (sim/engine/series.h's cell ids); cells whose series is
// not selected are left undefined.
struct SummaryTable {
  std::vector<CellSummary> sector;     // [(series * S + sector) * T + t]
  std::vector<CellSummary> aggregate;  // [series * T + t]
  bool exact = true;                   // false: quantiles from sketches (relative error `accuracy`,
                                       // clamped to the members' least and greatest value)
  double accuracy = 0.0;
};

struct EnsembleRequest {
  std::int64_t members = 1;  // 1 .. 10,000,000
  // Runs members [first_member, first_member + members) of the scenario's
  // ensemble: a part of an ensemble split over MPI ranks. Each member's
  // numbers depend only on its index, so the parts equal the whole. Results
  // are indexed from 0; failures carry the member's index in the ensemble.
  std::int64_t first_member = 0;
  bool stochastic = false;   // shocks and uncertain draws
  int threads = 0;           // 0: all cores
  // Members per block (1 .. 4096). Results do not depend on it when it is a
  // multiple of 32 (the sketch path sums its means in 32-member chunks); 128
  // spreads the sketch path's per-block costs (a cell's checks, its bins'
  // cache misses) over more members than 32 did: the 20,000-member job of
  // README.md "Whole jobs" about 1.1x faster, byte-identical.
  int block_size = 128;
  // Keep every member's every series (EnsembleResult::store): members.csv,
  // tests. Memory: (21 S + 17) x months x members doubles.
  bool keep_members = true;
  // Summarise the selected series (EnsembleResult::summary).
  bool summarise = false;
  OutputSelection outputs;
  // Quantiles are exact while the selected cells' member values fit in this
  // many bytes (or when members are kept); beyond it, sketches with relative
  // error `sketch_accuracy` keep memory independent of the member count.
  std::uint64_t exact_summary_bytes = 1ull << 30;
  double sketch_accuracy = 1e-3;  // in (1/(2^20 + 1), 1), 1/(2^20 + 1) about 9.54e-7; finer: std::invalid_argument (sketch keys are 32-bit)
  // Cells (sim/engine/series.h ids) whose every member's value is copied into
  // EnsembleResult::kept, without keeping every series: the few headline
  // series a batch keeps for paired comparisons. Memory: cells x members doubles.
  std::vector<std::int64_t> keep_cells;
  // Called at most every two seconds with the members done so far (from a
  // worker thread): a long ensemble's sign of life. Empty: none.
  ProgressCallback on_progress;
};

// A member stopped by a numerical guard (sim/engine/guards.h): a state variable
// became NaN, infinite or left its domain.
struct MemberFailure {
  std::int64_t member = 0;
  std::string variable;  // as in result files: capital, price, va, adoption, ...
  std::string sector;    // sector name
  int month = 0;         // month index t (0 = calendar.start) of the first failing value
  double value = 0.0;    // that value (NaN, +-inf or outside the variable's range)
  // Names the variable, sector, month (YYYY-MM) and value, the inputs of its
  // equation, the member's drawn `uncertain` values and the levers that month.
  std::string message;
};

// Calls f(m) for members 0 .. members - 1 in order, but those in `excluded`
// (strictly ascending: the failed members a summary or a score leaves out;
// not checked here, its callers' value counts are).
template <class F>
void for_each_kept_member(std::int64_t members, const std::vector<std::int64_t>& excluded, F&& f) {
  auto skip = excluded.begin();
  for (std::int64_t m = 0; m < members; ++m) {
    if (skip != excluded.end() && *skip == m) {
      ++skip;
      continue;
    }
    f(m);
  }
}

struct EnsembleResult {
  // With keep_members: every series, every member. A failed member's values
  // are NaN from its failure month on.
  std::unique_ptr<SeriesStore> store;
  // With summarise: over the members that did not fail (cells are undefined
  // when every member failed).
  std::unique_ptr<SummaryTable> summary;
  // keep_cells' values: [k * members + member] for keep_cells[k]; NaN for
  // every cell of a failed member.
  std::vector<double> kept;
  std::vector<MemberFailure> failures;  // sorted by member; empty when every member ran through
  int threads = 1;                     // threads used
  double seconds = 0.0;                // wall time of runs and summaries
};

// Throws RunError (a member's parameters invalid, NaN in a summarised series
// of a member that did not fail, memory too large) and Interrupted
// (sim/core/interrupt.h: checked between blocks). Members stopped by a guard are
// no error: they are in EnsembleResult::failures, even when every member failed.
EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleRequest& request);

// Exact summaries of every cell of a full store over `threads` threads,
// leaving out the members in `excluded` (ascending: failed members).
// Throws RunError naming the cell if some other members gave NaN.
// Exact summaries of the cells `ids` (sim/engine/series.h ids) from their members'
// values, values[k * members + m] for ids[k], leaving out `excluded`
// (ascending): what run_ensemble computes on its exact path, for an
// ensemble assembled from parts.
SummaryTable summarise_cells(const Scenario& scenario, const std::vector<std::int64_t>& ids, const double* values,
                             std::int64_t members, int threads, const std::vector<std::int64_t>& excluded);

SummaryTable summarise_store(const SeriesStore& store, const std::vector<std::string>& sector_names, int threads,
                             const std::vector<std::int64_t>& excluded = {});

// Each member's drawn `uncertain:` values: the values run_ensemble's members
// ran with (the same streams, keyed by the seed and the member index).
struct MemberDraws {
  std::vector<std::string> paths;  // the scenario's `uncertain:` paths, in file order; empty: nothing drawn
  std::vector<double> values;      // [member * paths.size() + k], in the parameter's unit (models/fields.h)
  double at(std::int64_t member, std::size_t k) const { return values[member * paths.size() + k]; }
};
// Members [0, members) of `scenario`; nothing drawn unless `stochastic`.
// Throws RunError if the scenario does not compile.
MemberDraws member_draws(const Scenario& scenario, std::int64_t members, bool stochastic);

int resolve_thread_count(int requested);

// Calls work(index, state) for index in [0, count) over `threads` threads;
// each worker gets its own state from make_state(). Indices are handed out
// dynamically; callers make results independent of which thread ran what.
template <class MakeState, class Work>
void parallel_for(std::int64_t count, int threads, MakeState make_state, Work work);

}  // namespace mfgsim

#include <algorithm>
#include <atomic>
#include <thread>

#include "sim/core/threads.h"

namespace mfgsim {

template <class MakeState, class Work>
void parallel_for(std::int64_t count, int threads, MakeState make_state, Work work) {
  std::atomic<std::int64_t> next{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    try {
      auto state = make_state();
      for (std::int64_t index = next++; index < count && !failed; index = next++) work(index, state);
    } catch (...) {
      if (!failed.exchange(true)) failure = std::current_exception();
    }
  };
  const int n = static_cast<int>(std::min<std::int64_t>(std::max(threads, 1), std::max<std::int64_t>(count, 1)));
  std::vector<std::thread> pool;
  start_threads(pool, n - 1, worker, [&] { failed = true; });
  worker();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace mfgsim
