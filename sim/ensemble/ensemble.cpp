#include "sim/ensemble/ensemble.h"

#include <sys/mman.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "sim/core/calendar.h"
#include "sim/engine/cell_recorder.h"
#include "sim/engine/engine.h"
#include "sim/core/interrupt.h"
#include "sim/core/quantile_sketch.h"

namespace mfgsim {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

namespace {

// Records a block's months into a block-sized store (members at 0 .. count-1).
class BlockRecorder : public MonthObserver {
 public:
  explicit BlockRecorder(SeriesStore& store) : store_(store) {}
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t, int count) override {
    store_.record(t, params, state, 0, count);
  }

 private:
  SeriesStore& store_;
};

// Hands each month to two recorders.
class RecorderPair : public MonthObserver {
 public:
  RecorderPair(MonthObserver& a, MonthObserver& b) : a_(a), b_(b) {}
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first, int count) override {
    a_.record(t, params, state, first, count);
    b_.record(t, params, state, first, count);
  }

 private:
  MonthObserver& a_;
  MonthObserver& b_;
};

// Hands each month to a recorder, then to `then(t, count)` (a lambda, not a
// std::function: called for every month of every block).
template <class Then>
class ThenEach : public MonthObserver {
 public:
  ThenEach(MonthObserver& recorder, Then then) : recorder_(recorder), then_(std::move(then)) {}
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first, int count) override {
    recorder_.record(t, params, state, first, count);
    then_(t, count);
  }

 private:
  MonthObserver& recorder_;
  Then then_;
};

// A buffer backed by 2 MiB pages where the system offers them (Linux
// transparent huge pages on request): the staging buffer is written and read
// across tens of MiB, and with 4 KiB pages most accesses missed the TLB.
// Uninitialised.
template <class T>
class HugePageBuffer {
 public:
  void allocate(std::size_t count) {
    constexpr std::size_t kHuge = 2u << 20;
    const std::size_t bytes = (count * sizeof(T) + kHuge - 1) / kHuge * kHuge;
    data_.reset(static_cast<T*>(std::aligned_alloc(kHuge, bytes)));
    if (!data_) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(data_.get(), bytes, MADV_HUGEPAGE);  // a hint: without it, 4 KiB pages
#endif
  }
  T* data() { return data_.get(); }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T[], Free> data_;
};

std::string cell_label(std::int64_t id, int S, int T, const std::vector<std::string>& sectors, const Calendar& calendar) {
  const std::int64_t sector_cells = static_cast<std::int64_t>(kSectorSeriesCount) * S * T;
  const int t = static_cast<int>(id % T);
  std::string what;
  if (id < sector_cells) {
    const int i = static_cast<int>((id / T) % S);
    what = std::string(series_name(static_cast<SectorSeries>(id / T / S))) + " of " + sectors[i];
  } else {
    what = std::string(series_name(static_cast<AggregateSeries>((id - sector_cells) / T)));
  }
  return what + " in " + format_year_month(calendar.at(t));
}

SummaryTable empty_table(int S, int T) {
  SummaryTable table;
  table.sector.resize(static_cast<std::size_t>(kSectorSeriesCount) * S * T);
  table.aggregate.resize(static_cast<std::size_t>(kAggregateSeriesCount) * T);
  return table;
}

CellSummary& table_cell(SummaryTable& table, std::int64_t id) {
  const auto sector_cells = static_cast<std::int64_t>(table.sector.size());
  return id < sector_cells ? table.sector[id] : table.aggregate[id - sector_cells];
}

// Exact summaries of the given cells; values(k) points at cell k's n
// members, of which those in `excluded` (ascending) are left out.
template <class Values>
void summarise_exact(SummaryTable& table, const std::vector<std::int64_t>& ids, Values values, std::int64_t n,
                     int threads, const std::function<std::string(std::int64_t)>& label,
                     const std::vector<std::int64_t>& excluded) {
  std::mutex error_mutex;
  std::optional<std::pair<std::int64_t, std::string>> first_error;
  const std::int64_t kept = n - static_cast<std::int64_t>(excluded.size());
  struct Scratch {
    SelectionScratch selection;
    std::array<std::vector<double>, kSummaryGroup> kept;
  };
  // Groups of kSummaryGroup cells (summarise_group); a cell's numbers do
  // not depend on its group, so neither on the threads.
  const auto cells = static_cast<std::int64_t>(ids.size());
  parallel_for((cells + kSummaryGroup - 1) / kSummaryGroup, threads, [] { return Scratch(); },
               [&](std::int64_t group, Scratch& scratch) {
                 const std::int64_t first = group * kSummaryGroup;
                 const int count = static_cast<int>(std::min<std::int64_t>(kSummaryGroup, cells - first));
                 const double* cell[kSummaryGroup];
                 CellSummary summary[kSummaryGroup];
                 std::int64_t nans[kSummaryGroup];
                 bool ok[kSummaryGroup];
                 for (int j = 0; j < count; ++j) {
                   cell[j] = values(first + j);
                   if (excluded.empty()) continue;
                   // The other members, in member order: the same summary whatever the threads.
                   std::vector<double>& kept_values = scratch.kept[j];
                   kept_values.clear();
                   for_each_kept_member(n, excluded, [&](std::int64_t m) { kept_values.push_back(cell[j][m]); });
                   cell[j] = kept_values.data();
                 }
                 summarise_group(cell, count, kept, scratch.selection, summary, nans, ok);
                 for (int j = 0; j < count; ++j) {
                   const std::int64_t k = first + j;
                   table_cell(table, ids[k]) = summary[j];
                   if (ok[j]) continue;
                   std::lock_guard lock(error_mutex);
                   if (!first_error || k < first_error->first)
                     first_error.emplace(k, label(ids[k]) + ": " + std::to_string(nans[j]) + " of " +
                                                std::to_string(kept) + " members gave NaN");
                 }
               });
  if (first_error) throw RunError(first_error->second);
}

// A failed member's values from its failure month on are not used: NaN.
void mask_failed(SeriesStore& buffer, int column, int from_month) {
  const int T = buffer.months();
  const std::int64_t cells = cell_count(buffer.sectors(), T);
  for (std::int64_t id = 0; id < cells; ++id)
    if (id % T >= from_month) buffer.cell_at(id)[column] = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

EnsembleResult run_ensemble(const Scenario& scenario, const EnsembleRequest& request) {
  if (request.members < 1) throw RunError("members must be at least 1");
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  const std::int64_t members = request.members;
  const auto& names = scenario.params.sectors.names;
  auto label = [&](std::int64_t id) { return cell_label(id, S, T, names, scenario.calendar); };

  std::vector<std::int64_t> ids = request.summarise ? selected_cells(request.outputs, S, T) : std::vector<std::int64_t>{};
  const std::uint64_t selected_bytes = ids.size() * static_cast<std::uint64_t>(members) * sizeof(double);
  const bool exact = request.keep_members || selected_bytes <= request.exact_summary_bytes;
  // Sketch path: cells month by month, so that a month's values land in one
  // contiguous run of the staging buffer (sequential writes).
  if (request.summarise && !exact)
    std::stable_sort(ids.begin(), ids.end(), [T](std::int64_t a, std::int64_t b) { return a % T < b % T; });
  if (request.keep_members) {
    const std::uint64_t bytes = SeriesStore::bytes_needed(S, T, members);
    if (bytes > SeriesStore::kMaxBytes)
      throw RunError("keeping " + std::to_string(members) + " members of every series needs " +
                     std::to_string(bytes >> 20) + " MiB (limit " + std::to_string(SeriesStore::kMaxBytes >> 20) +
                     " MiB): use fewer members, or do not keep members");
  }

  EngineOptions engine_options;
  engine_options.stochastic = request.stochastic;
  engine_options.block_size = static_cast<int>(std::min<std::int64_t>(request.block_size, members));
  CompileResult compiled = compile(run_spec(scenario), engine_options);
  if (!compiled.run) throw RunError(scenario.name + ": " + compiled.issues.front().message);
  const CompiledRun& engine = *compiled.run;
  const int block = engine_options.block_size;
  const std::int64_t blocks = (members + block - 1) / block;
  // The sketch path's means are summed per chunk of kSumChunk members
  // (accumulate_lanes) and the chunks' sums merged in member order, so any
  // block size that is a multiple of kSumChunk gives the same bits (a block
  // cut to fewer members is cut into the same chunks); another block size
  // is one chunk, and may change the means' last bits.
  constexpr int kSumChunk = 32;
  const int sum_chunk = request.block_size % kSumChunk == 0 ? kSumChunk : block;
  const int sum_chunks = (block + sum_chunk - 1) / sum_chunk;

  EnsembleResult result;
  result.threads = resolve_thread_count(request.threads);
  if (request.keep_members)
    result.store = std::make_unique<SeriesStore>(scenario.calendar, scenario.params.sectors, members);
  // Exact summaries without kept members: the selected cells only,
  // [k][member], the bound of the exact path's memory (8 bytes a cell and
  // member: every value may be an order statistic until the last member is
  // in). Not zeroed: every value is recorded before it is read. On 4 KiB
  // pages: with MADV_HUGEPAGE the kernel's compaction for ~1 GB of 2 MiB
  // pages cost more system time (2.0 s against 0.5 s) than the TLB misses
  // it saved.
  const bool selected = request.summarise && exact && !request.keep_members;
  std::unique_ptr<double[]> selected_values;
  if (selected) selected_values.reset(new double[ids.size() * static_cast<std::size_t>(members)]);
  for (const std::int64_t id : request.keep_cells)
    if (id < 0 || id >= cell_count(S, T)) throw RunError("keep_cells: no cell " + std::to_string(id));
  result.kept.assign(request.keep_cells.size() * members, 0.0);

  // Sketch path: per-thread sketches, merged at the end; means reduced in
  // member order (32-member chunks). Each month's summarised cells are
  // recorded into a one-month buffer ([j][member], in L1); as soon as they
  // are, each cell's count, sum and squared deviations are taken, and its
  // row counted into its sketch at once if every value falls in the bins the
  // cell already has (most cells once their first members are in: one sign,
  // a few octaves, a few cache lines of bins); otherwise its members' sketch
  // keys (32 bits each) are written to the next slot of the thread's key
  // stage ([slot][k][member], up to `stage_blocks` slots: a block writes one
  // contiguous region, as a stage of [k][member] rows, written a line at a
  // time all over it, is not). These are the first members of every cell,
  // and the cells whose members spread over many octaves (year-to-date
  // growth, which crosses zero). A full stage is added to the sketches cell
  // by cell, each cell's rows of every slot at once (hundreds of members),
  // so a cell's bins stay in cache while it is counted. A block in which a
  // member failed is run again, its rows taken without the failed members
  // (and the failed members' values counted at once taken back).
  const bool sketched = request.summarise && !exact;
  std::vector<std::vector<std::size_t>> month_cells(sketched ? T : 0);  // [t]: the k of that month's cells
  std::size_t month_rows = 0;
  for (std::size_t k = 0; sketched && k < ids.size(); ++k) month_cells[ids[k] % T].push_back(k);
  for (const auto& cells : month_cells) month_rows = std::max(month_rows, cells.size());
  int stage_blocks = 0;
  const std::size_t slot_size = ids.size() * static_cast<std::size_t>(block);
  if (sketched) {
    if (QuantileSketch(request.sketch_accuracy).mantissa_bits() > QuantileSketch::kMaxKeyBits)
      throw std::invalid_argument("sketch_accuracy " + std::to_string(request.sketch_accuracy) +
                     ": must be above 9.54e-7 (1/(2^20 + 1): sketch keys hold at most 19 mantissa bits)");
    constexpr std::uint64_t kStageBytes = 32ull << 20;  // per thread
    const auto fit = static_cast<std::int64_t>(kStageBytes / (std::max<std::size_t>(slot_size, 1) * sizeof(std::uint32_t)));
    const std::int64_t most = std::max<std::int64_t>(1, std::min<std::int64_t>(blocks, 8192 / block));
    stage_blocks = static_cast<int>(std::clamp<std::int64_t>(fit, 1, most));
  }
  struct ThreadState {
    Workspace ws;
    std::unique_ptr<SeriesStore> buffer;          // keep_members: every series of a block
    std::unique_ptr<CellRecorder> summarised;     // otherwise: the summarised cells ...
    std::unique_ptr<CellRecorder> kept;           // ... and keep_cells, straight from the block state
    std::vector<QuantileSketch> sketches;
    std::vector<double> month;                    // [j][member]: one month's summarised cells
    HugePageBuffer<std::uint32_t> keys;           // [slot][k][member]: sketch keys not yet counted
    struct Staged {
      std::int64_t block;
      int survivors;  // keys in each cell's row of the slot
      std::vector<MeanAccumulator> sums;
    };
    std::vector<std::int64_t> lengths;            // keys in a cell's row of each slot
    std::vector<std::uint8_t> row_staged;         // [slot][k]: the row holds keys (else counted directly)
    std::vector<QuantileSketch::Covered> where;   // [j]: where a month's rows are counted directly
    std::vector<Staged> staged;
    std::vector<std::vector<MeanAccumulator>> spare_sums;  // reduced blocks' sums, for reuse
    std::vector<MeanAccumulator> block_sums;      // the running block's, [k][chunk]
    std::vector<int> chunk_lengths;               // [chunk]: members recorded in each
    std::vector<MemberFailure> failures;
  };
  std::vector<MeanAccumulator> sums(exact ? 0 : ids.size());
  std::map<std::int64_t, std::vector<MeanAccumulator>> pending_sums;
  std::vector<std::vector<MeanAccumulator>> reduced_sums;  // their buffers, for reuse
  std::int64_t next_sum_block = 0;
  std::mutex mutex;
  std::optional<std::pair<std::int64_t, std::string>> first_error;  // lowest member wins: deterministic
  // Adds blocks' sums to `sums` in block order (call with `mutex` held).
  auto reduce_sums = [&] {
    for (auto it = pending_sums.begin(); it != pending_sums.end() && it->first == next_sum_block;
         it = pending_sums.erase(it), ++next_sum_block) {
      for (std::size_t k = 0; k < ids.size(); ++k)
        for (int c = 0; c < sum_chunks; ++c) sums[k].merge(it->second[k * sum_chunks + c]);
      reduced_sums.push_back(std::move(it->second));
    }
  };
  // The staged keys into the sketches, the staged blocks' sums to the reduction.
  auto flush = [&](ThreadState& state) {
    if (state.staged.empty()) return;
    const std::size_t slots = state.staged.size();
    // Each cell's staged keys are counted in place, a row per slot (a row
    // counted directly when it was recorded has length 0 here).
    std::vector<std::int64_t>& lengths = state.lengths;
    const std::uint8_t* row_staged = state.row_staged.data();
    for (std::size_t k = 0; k < ids.size(); ++k) {
      // The next cell's keys lie a slot apart, a stride no hardware
      // prefetcher follows: ask for them while this cell is counted.
      if (k + 1 < ids.size())
        for (std::size_t slot = 0; slot < slots; ++slot)
          if (row_staged[slot * ids.size() + k + 1])
            for (int byte = 0; byte < block * static_cast<int>(sizeof(std::uint32_t)); byte += 64)
              __builtin_prefetch(reinterpret_cast<const char*>(state.keys.data() + slot * slot_size + (k + 1) * block) + byte);
      bool any = false;
      lengths.clear();
      for (std::size_t slot = 0; slot < slots; ++slot) {
        const bool staged = row_staged[slot * ids.size() + k];
        lengths.push_back(staged ? state.staged[slot].survivors : 0);
        any = any || staged;
      }
      if (any)
        state.sketches[k].add_key_rows(state.keys.data() + k * block, static_cast<std::int64_t>(slot_size),
                                       lengths.data(), static_cast<int>(slots));
    }
    std::lock_guard lock(mutex);
    for (auto& staged : state.staged) pending_sums.emplace(staged.block, std::move(staged.sums));
    reduce_sums();
    state.staged.clear();
    while (!reduced_sums.empty() && static_cast<int>(state.spare_sums.size()) < stage_blocks) {
      state.spare_sums.push_back(std::move(reduced_sums.back()));
      reduced_sums.pop_back();
    }
  };

  // Month t's rows of a block (members_recorded each) into its sums, and
  // into the sketches: a row whose values all fall in bins its cell already
  // has is counted at once (QuantileSketch::covered), the others' keys go to
  // the stage.
  // With `failed` (failed_month of each member: the block's second run,
  // into the same slot), the failed members are left out, the others in
  // member order; a row the first run counted directly (not staged in the
  // slot) has its failed members' values taken back (the second run
  // recomputes them bit for bit) and stays counted.
  auto stage_month = [&](ThreadState& state, int t, int members_recorded, const int* failed) {
    const std::vector<std::size_t>& cells = month_cells[t];
    const std::size_t slot = state.staged.size();
    std::uint32_t* keys = state.keys.data() + slot * slot_size;
    std::uint8_t* row_staged = state.row_staged.data() + slot * ids.size();
    double* rows = state.month.data();
    int n = members_recorded;
    if (failed) {
      for (std::size_t j = 0; j < cells.size(); ++j) {
        double* row = rows + j * block;
        if (!row_staged[cells[j]])
          for (int m = 0; m < members_recorded; ++m)
            if (failed[m] >= 0) state.sketches[cells[j]].remove_covered(row + m, 1);
        n = 0;
        for (int m = 0; m < members_recorded; ++m)
          if (failed[m] < 0) row[n++] = row[m];
      }
    }
    // The sums first, chunk by chunk, in a loop without calls, so that the
    // rows' chains of dependent additions overlap.
    int* chunk_lengths = state.chunk_lengths.data();
    for (int c = 0; c < sum_chunks; ++c) {
      const int begin = std::min(c * sum_chunk, members_recorded), end = std::min(begin + sum_chunk, members_recorded);
      chunk_lengths[c] = failed ? static_cast<int>(std::count_if(failed + begin, failed + end, [](int f) { return f < 0; }))
                                : end - begin;
    }
    for (std::size_t j = 0; j < cells.size(); ++j) {
      const double* row = rows + j * block;
      MeanAccumulator* chunk_sums = state.block_sums.data() + cells[j] * sum_chunks;
      for (int c = 0; c < sum_chunks; ++c) {
        chunk_sums[c] = chunk_lengths[c] > 0 ? accumulate_lanes(row, chunk_lengths[c]) : MeanAccumulator{};
        row += chunk_lengths[c];
      }
    }
    // Every row checked (and its bins asked for) before any is counted, so
    // that the bins' cache misses overlap.
    QuantileSketch::Covered* where = state.where.data();
    if (!failed)
      for (std::size_t j = 0; j < cells.size(); ++j)
        row_staged[cells[j]] = !state.sketches[cells[j]].covered(rows + j * block, n, where[j]);
    for (std::size_t j = 0; j < cells.size(); ++j) {
      const std::size_t k = cells[j];
      const double* row = rows + j * block;
      if (!row_staged[k]) {
        if (!failed) state.sketches[k].add_covered(row, n, where[j]);
      } else {
        state.sketches[k].keys_of(row, n, keys + k * block);
      }
    }
  };

  std::atomic<std::int64_t> done{0};
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::int64_t> last_log_ms{0};

  // One state per worker thread, kept after the run for the sketches.
  std::vector<std::unique_ptr<ThreadState>> states(static_cast<std::size_t>(result.threads));
  std::atomic<int> next_state{0};
  parallel_for(
      blocks, result.threads,
      [&] {
        ThreadState* state = (states[next_state++] = std::make_unique<ThreadState>()).get();
        state->ws = engine.make_workspace();
        if (result.store) {
          state->buffer = std::make_unique<SeriesStore>(scenario.calendar, scenario.params.sectors, block);
        } else {
          state->summarised = std::make_unique<CellRecorder>(scenario.calendar, scenario.params.sectors, ids, block);
          state->kept = std::make_unique<CellRecorder>(scenario.calendar, scenario.params.sectors, request.keep_cells, block);
        }
        if (sketched) {
          state->sketches.assign(ids.size(), QuantileSketch(request.sketch_accuracy));
          state->month.resize(month_rows * block);
          state->keys.allocate(slot_size * stage_blocks);
          state->row_staged.assign(ids.size() * stage_blocks, 0);
          state->where.resize(month_rows);
          state->chunk_lengths.resize(sum_chunks);
          state->lengths.reserve(stage_blocks);
          state->staged.reserve(stage_blocks);
        }
        return state;
      },
      [&](std::int64_t b, ThreadState* state) {
        throw_if_interrupted();
        const std::int64_t first = b * block;
        const int count = static_cast<int>(std::min<std::int64_t>(block, members - first));
        std::optional<std::string> error;
        if (result.store) {
          BlockRecorder recorder(*state->buffer);
          error = engine.run_block(request.first_member + first, count, state->ws, recorder);
        } else {
          if (sketched && static_cast<int>(state->staged.size()) == stage_blocks) flush(*state);
          if (sketched) state->summarised->target_month(state->month.data(), block);
          else if (selected) state->summarised->target(selected_values.get() + first, members);
          if (!result.kept.empty()) state->kept->target(result.kept.data() + first, members);
          if (sketched) {
            if (state->spare_sums.empty()) {
              state->block_sums.resize(ids.size() * sum_chunks);
            } else {
              state->block_sums = std::move(state->spare_sums.back());
              state->spare_sums.pop_back();
            }
            ThenEach staging(*state->summarised, [&](int t, int members_recorded) { stage_month(*state, t, members_recorded, nullptr); });
            RecorderPair recorders(staging, *state->kept);
            error = engine.run_block(request.first_member + first, count, state->ws, recorders);
          } else {
            RecorderPair recorders(*state->summarised, *state->kept);
            error = engine.run_block(request.first_member + first, count, state->ws, recorders);
          }
        }
        if (error) {
          std::lock_guard lock(mutex);
          if (!first_error || first < first_error->first) first_error.emplace(first, *error);
          return;
        }
        const std::vector<int>& failed_month = state->ws.failed_month;
        for (const GuardHit& hit : state->ws.guard_hits) {
          if (hit.column >= count) continue;  // padding repeats the block's first member
          const std::int64_t member = request.first_member + first + hit.column;
          state->failures.push_back({member, std::string(guard_variable_name(hit.variable)), names[hit.sector],
                                     hit.month, hit.value, engine.failure_message(hit, member)});
          if (result.store) mask_failed(*state->buffer, hit.column, hit.month);
        }
        if (result.store) {
          SeriesStore& buffer = *state->buffer;
          buffer.derive();
          for (std::int64_t id = 0; id < cell_count(S, T); ++id)
            std::memcpy(result.store->cell_at(id) + first, buffer.cell_at(id), sizeof(double) * count);
          for (std::size_t k = 0; k < request.keep_cells.size(); ++k)
            std::memcpy(result.kept.data() + k * members + first, buffer.cell_at(request.keep_cells[k]),
                        sizeof(double) * count);
        }
        for (std::size_t k = 0; k < request.keep_cells.size(); ++k) {
          double* kept = result.kept.data() + k * members + first;
          for (int m = 0; m < count; ++m)
            if (failed_month[m] >= 0) kept[m] = std::numeric_limits<double>::quiet_NaN();
        }
        if (sketched) {
          // Failed members never reach the sketches or the means: the block
          // is run again and each month's rows taken without them.
          int survivors = count;
          if (std::any_of(failed_month.begin(), failed_month.begin() + count, [](int f) { return f >= 0; })) {
            const std::vector<int> failed(failed_month.begin(), failed_month.begin() + count);
            survivors = static_cast<int>(std::count(failed.begin(), failed.end(), -1));
            ThenEach staging(*state->summarised, [&](int t, int members_recorded) { stage_month(*state, t, members_recorded, failed.data()); });
            engine.run_block(request.first_member + first, count, state->ws, staging);
          }
          state->staged.push_back({b, survivors, std::move(state->block_sums)});
        }
        const std::int64_t finished = done += count;
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        std::int64_t previous = last_log_ms.load();
        if (request.on_progress && ms - previous >= 2000 && last_log_ms.compare_exchange_strong(previous, ms))
          request.on_progress(ProgressUpdate{scenario.name, "members", finished, members,
                                             static_cast<double>(ms) / 1000.0, false});
      });
  if (!first_error && sketched)
    parallel_for(static_cast<std::int64_t>(states.size()), result.threads, [] { return 0; },
                 [&](std::int64_t k, int) {
                   if (states[k]) flush(*states[k]);
                 });
  if (first_error) throw RunError(scenario.name + ": " + first_error->second);
  for (const auto& state : states)
    if (state) result.failures.insert(result.failures.end(), state->failures.begin(), state->failures.end());
  std::sort(result.failures.begin(), result.failures.end(),
            [](const MemberFailure& a, const MemberFailure& b) { return a.member < b.member; });
  std::vector<std::int64_t> excluded;
  for (const MemberFailure& f : result.failures) excluded.push_back(f.member - request.first_member);
  const std::int64_t survivors = members - static_cast<std::int64_t>(excluded.size());

  if (request.summarise) {
    result.summary = std::make_unique<SummaryTable>(empty_table(S, T));
    SummaryTable& table = *result.summary;
    table.exact = exact;
    if (exact && result.store) {
      summarise_exact(table, ids, [&](std::int64_t k) { return result.store->cell_at(ids[k]); }, members,
                      result.threads, label, excluded);
    } else if (exact) {
      summarise_exact(table, ids, [&](std::int64_t k) { return selected_values.get() + k * members; }, members,
                      result.threads, label, excluded);
    } else {
      table.accuracy = request.sketch_accuracy;
      std::optional<std::pair<std::int64_t, std::string>> nan_error;  // the lowest cell id's, as on the exact path
      for (std::size_t k = 0; k < ids.size(); ++k) {
        // The first thread's sketch taken over, not copied into an empty one
        // (integer counts: the same sketch in any order); the threads'
        // sketches are not used again.
        std::optional<QuantileSketch> taken;
        for (const auto& state : states)
          if (state && !state->sketches.empty()) {
            if (taken) taken->merge(state->sketches[k]);
            else taken.emplace(std::move(state->sketches[k]));
          }
        const QuantileSketch merged = taken ? std::move(*taken) : QuantileSketch(request.sketch_accuracy);
        // Every survivor's value once, no failed member's (counted directly,
        // then taken back, or staged without them): checked, as a fault
        // here would move the quantiles by a rank or two unseen.
        if (merged.count() + merged.nan_count() != survivors)
          throw std::logic_error(label(ids[k]) + ": the sketch holds " +
                                 std::to_string(merged.count() + merged.nan_count()) + " values for " +
                                 std::to_string(survivors) + " surviving members");
        CellSummary& cell = table_cell(table, ids[k]);
        if (merged.count() == 0) continue;  // every member NaN (undefined), or every member failed
        if (merged.nan_count() > 0) {
          if (!nan_error || ids[k] < nan_error->first)
            nan_error.emplace(ids[k], label(ids[k]) + ": " + std::to_string(merged.nan_count()) + " of " +
                                          std::to_string(survivors) + " members gave NaN");
          continue;
        }
        cell.defined = true;
        cell.mean = sums[k].sum / static_cast<double>(survivors);
        cell.mean_se = sums[k].standard_error();
        merged.quantiles(kQuantileLevels.data(), static_cast<int>(kQuantileLevels.size()), cell.quantiles.data());
        // Within the members' range: still within the sketch's bound, and
        // exact where every member has the same value.
        for (double& q : cell.quantiles) q = std::clamp(q, sums[k].lo, sums[k].hi);
      }
      if (nan_error) throw RunError(nan_error->second);
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

MemberDraws member_draws(const Scenario& scenario, std::int64_t members, bool stochastic) {
  MemberDraws out;
  if (!stochastic || scenario.uncertain.empty()) return out;
  EngineOptions options;
  options.stochastic = true;
  CompileResult compiled = compile(run_spec(scenario), options);
  if (!compiled.run) throw RunError(scenario.name + ": " + compiled.issues.front().message);
  const auto& uncertain = compiled.run->spec().uncertain;
  for (const UncertainParam& u : uncertain) out.paths.push_back(u.address.path);
  out.values.resize(static_cast<std::size_t>(members) * uncertain.size());
  for (std::int64_t m = 0; m < members; ++m)
    for (std::size_t k = 0; k < uncertain.size(); ++k)
      out.values[static_cast<std::size_t>(m) * uncertain.size() + k] = compiled.run->draw_uncertain(m, k);
  return out;
}

SummaryTable summarise_cells(const Scenario& scenario, const std::vector<std::int64_t>& ids, const double* values,
                             std::int64_t members, int threads, const std::vector<std::int64_t>& excluded) {
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  SummaryTable table = empty_table(S, T);
  summarise_exact(table, ids, [&](std::int64_t k) { return values + k * members; }, members,
                  resolve_thread_count(threads),
                  [&](std::int64_t id) { return cell_label(id, S, T, scenario.params.sectors.names, scenario.calendar); },
                  excluded);
  return table;
}

SummaryTable summarise_store(const SeriesStore& store, const std::vector<std::string>& sector_names, int threads,
                             const std::vector<std::int64_t>& excluded) {
  const int S = store.sectors(), T = store.months();
  SummaryTable table = empty_table(S, T);
  std::vector<std::int64_t> ids(static_cast<std::size_t>(cell_count(S, T)));
  for (std::size_t k = 0; k < ids.size(); ++k) ids[k] = static_cast<std::int64_t>(k);
  summarise_exact(table, ids, [&](std::int64_t k) { return store.cell_at(k); }, store.members(),
                  resolve_thread_count(threads),
                  [&](std::int64_t id) { return cell_label(id, S, T, sector_names, store.calendar()); }, excluded);
  return table;
}

}  // namespace mfgsim
