// Runs a scenario's ensemble over worker threads. Blocks of members are
// handed out dynamically, but every member's numbers depend only on its
// index and the seed (counter-based streams), and each block writes only its
// own members' cells: results are identical whatever the thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/series_store.h"
#include "sim/summary.h"

namespace mfgsim {

struct EnsembleRequest {
  std::int64_t members = 1;  // 1 .. 10,000,000
  bool stochastic = false;   // shocks and uncertain draws
  int threads = 0;           // 0: all cores
  int block_size = 32;       // members per block; results do not depend on it
};

struct EnsembleResult {
  std::unique_ptr<SeriesStore> store;  // every series, every member (derived series included)
  int threads = 1;                     // threads used
  double seconds = 0.0;                // wall time of the member runs
};

// Throws RunError (a member's parameters invalid, memory too large).
EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleRequest& request);

struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Summaries of every cell of the store, computed over `threads` threads.
// Cell order: sector series (series, sector, month), then aggregates
// (series, month). Throws RunError naming the cell if members gave NaN.
struct SummaryTable {
  std::vector<CellSummary> sector;     // [(series * S + sector) * T + t]
  std::vector<CellSummary> aggregate;  // [series * T + t]
};
SummaryTable summarise_store(const SeriesStore& store, const std::vector<std::string>& sector_names, int threads);

int resolve_thread_count(int requested);

}  // namespace mfgsim
