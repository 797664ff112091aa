#include "sim/batch/mpi_batch.h"

#include <stdexcept>

#ifdef MFGSIM_HAVE_MPI
#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <map>
#include <mutex>
#include <thread>


#include "sim/batch/batch_record.h"
#include "sim/core/interrupt.h"
#include "sim/core/threads.h"
#endif

namespace mfgsim {

namespace {
MpiWorld g_world;
[[maybe_unused]] bool g_started = false;
}  // namespace

const MpiWorld& mpi_world() { return g_world; }

#ifndef MFGSIM_HAVE_MPI

bool mpi_start(int*, char***) { return false; }
void mpi_finish() {}
void mpi_abort(int) {}
BatchRunInfo mpi_run(const Batch&, const BatchRunOptions&, const std::string&, const std::vector<std::size_t>&,
                     const std::function<void(std::size_t, const std::string&)>&) {
  throw std::logic_error("mpi_run: mfgsim was built without MPI");
}
void mpi_serve(const Batch&, const BatchRunOptions&, const std::string&) {
  throw std::logic_error("mpi_serve: mfgsim was built without MPI");
}

#else

namespace {

// Messages between rank 0 and the others.
enum Tag : int {
  kRequest = 1,     // rank > 0 -> 0: a slot is free (payload: the rank's slot count)
  kWork = 2,        // 0 -> rank: run this scenario (payload: index)
  kNoWork = 3,      // 0 -> rank: nothing more for that slot
  kResultHead = 4,  // rank -> 0: index, record bytes
  kResultData = 5,  // rank -> 0: the record, in chunks
  kError = 6,       // rank -> 0: index, then the message
};
constexpr std::size_t kChunk = std::size_t{1} << 30;  // MPI counts are int

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(name)) return true;
  return false;
}

void send_bytes(const std::string& bytes, int dest) {
  for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, bytes.size() - at));
    MPI_Send(bytes.data() + at, n, MPI_BYTE, dest, kResultData, MPI_COMM_WORLD);
  }
}

std::string receive_bytes(std::uint64_t size, int source) {
  std::string bytes(size, '\0');
  for (std::size_t at = 0; at < size; at += kChunk) {
    const int n = static_cast<int>(std::min<std::uint64_t>(kChunk, size - at));
    MPI_Recv(bytes.data() + at, n, MPI_BYTE, source, kResultData, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  return bytes;
}

// A piece of work: a whole scenario (count 0), or members [first, first +
// count) of a large one, split so that its ensemble spreads over ranks.
struct Unit {
  std::uint64_t index = 0, first = 0, count = 0;
};

// The cells a part of a split ensemble keeps: the headline members (as
// batch_request asks), then every selected cell, from which rank 0 computes
// the exact summaries once all parts are in.
std::vector<std::int64_t> part_cells(const BatchEntry& entry, const BatchRunOptions& options,
                                     std::size_t* headline) {
  std::vector<std::int64_t> cells = batch_request(entry, options, 1).keep_cells;
  *headline = cells.size();
  const Scenario& s = entry.scenario;
  for (std::int64_t id : selected_cells(OutputSelection{s.outputs}, s.params.sectors.size(), s.calendar.months))
    cells.push_back(id);
  return cells;
}

// Scenarios running on this rank's threads, `slots` at a time, each over
// `threads_per_scenario` threads; finished ones wait, encoded, for poll().
// Only the calling (MPI) thread talks MPI (MPI_THREAD_FUNNELED).
class ScenarioPool {
 public:
  struct Done {
    std::size_t index = 0;
    std::string record;  // empty with an error
    std::string error;
  };

  ScenarioPool(const Batch& batch, const BatchRunOptions& options, const std::string& fingerprint, int slots,
               int threads_per_scenario)
      : batch_(batch), options_(options), fingerprint_(fingerprint), slots_(slots), threads_(threads_per_scenario) {
    start_threads(pool_, slots, [this] { work(); }, [this] {
      std::lock_guard lock(mutex_);
      stop_ = true;
      wake_.notify_all();
    });
  }
  ~ScenarioPool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : pool_) t.join();
  }

  int slots() const { return slots_; }
  int busy() const { return busy_; }
  void submit(const Unit& unit) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(unit);
    }
    ++busy_;
    wake_.notify_one();
  }
  bool poll(Done& out) {
    std::lock_guard lock(mutex_);
    if (done_.empty()) return false;
    out = std::move(done_.front());
    done_.pop_front();
    --busy_;
    return true;
  }
  // Hands every finished scenario to on_record(done), or to on_error(done)
  // when it failed; true if there was any.
  template <class OnRecord, class OnError>
  bool drain(OnRecord on_record, OnError on_error) {
    bool any = false;
    Done done;
    while (poll(done)) {
      any = true;
      if (done.error.empty()) on_record(done);
      else on_error(done);
    }
    return any;
  }

 private:
  void work() {
    for (;;) {
      Unit unit;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        unit = queue_.front();
        queue_.pop_front();
      }
      Done d;
      d.index = unit.index;
      const BatchEntry& entry = batch_.entries[unit.index];
      try {
        EnsembleRequest request = batch_request(entry, options_, threads_);
        std::optional<RecordPart> part;
        if (unit.count > 0) {
          std::size_t headline = 0;
          request.keep_cells = part_cells(entry, options_, &headline);
          request.first_member = static_cast<std::int64_t>(unit.first);
          request.members = static_cast<std::int64_t>(unit.count);
          request.summarise = false;
          part = RecordPart{request.first_member, request.members};
        }
        const EnsembleResult result = run_ensemble(entry.scenario, request);
        d.record = encode_record(fingerprint_, unit.index, entry.scenario.name, result, part);
      } catch (const std::exception& e) {
        const std::string what = e.what();
        d.error = what.starts_with(entry.scenario.name + ":") ? what : entry.scenario.name + ": " + what;
      }
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(d));
    }
  }

  const Batch& batch_;
  const BatchRunOptions& options_;
  const std::string& fingerprint_;
  int slots_, threads_;
  int busy_ = 0;  // submitted, not yet polled (MPI thread only)
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Unit> queue_;
  std::deque<Done> done_;
  bool stop_ = false;
  std::vector<std::thread> pool_;
};

// Ensembles of at least 2 x this many members are split into parts.
constexpr std::int64_t kPartMembers = 256;

// Rank 0's collection of a split scenario's parts; once every member is in,
// the scenario's record, equal to an unsplit run's.
class PartAssembly {
 public:
  PartAssembly(const BatchEntry& entry, const BatchRunOptions& options, std::size_t headline, std::size_t cells)
      : scenario_(entry.scenario),
        members_(entry.scenario.ensemble.members),
        headline_(headline),
        cells_(cells),
        keep_store_(options.keep_members) {}

  // Adds a part; true once every member is in.
  bool add(const RecordPart& part, EnsembleResult& result) {
    if (values_.empty()) values_.assign(cells_ * static_cast<std::size_t>(members_), 0.0);
    if (result.kept.size() != cells_ * static_cast<std::size_t>(part.count))
      throw std::runtime_error("a part of " + std::to_string(part.count) + " members holds " +
                               std::to_string(result.kept.size()) + " values");
    for (std::size_t k = 0; k < cells_; ++k)
      std::copy_n(result.kept.data() + k * part.count, part.count,
                  values_.data() + k * members_ + part.first);
    if (keep_store_ && result.store) {
      if (!store_) store_ = std::make_unique<SeriesStore>(scenario_.calendar, scenario_.params.sectors, members_);
      store_->copy_members(*result.store, part.first);
    }
    for (MemberFailure& f : result.failures) failures_.push_back(std::move(f));
    received_ += part.count;
    return received_ == members_;
  }

  std::string finish(const BatchEntry& entry, const std::string& fingerprint, std::size_t index, int threads) {
    EnsembleResult whole;
    std::sort(failures_.begin(), failures_.end(),
              [](const MemberFailure& a, const MemberFailure& b) { return a.member < b.member; });
    std::vector<std::int64_t> excluded;
    for (const MemberFailure& f : failures_) excluded.push_back(f.member);
    const Scenario& s = entry.scenario;
    const std::vector<std::int64_t> ids =
        selected_cells(OutputSelection{s.outputs}, s.params.sectors.size(), s.calendar.months);
    whole.summary = std::make_unique<SummaryTable>(
        summarise_cells(s, ids, values_.data() + headline_ * members_, members_, threads, excluded));
    whole.kept.assign(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(headline_ * members_));
    whole.store = std::move(store_);
    whole.failures = std::move(failures_);
    std::string record = encode_record(fingerprint, index, s.name, whole);
    values_ = {};
    return record;
  }

 private:
  const Scenario& scenario_;
  std::int64_t members_;
  std::size_t headline_, cells_;
  bool keep_store_;
  std::int64_t received_ = 0;
  std::vector<double> values_;  // [cell][member]: headline cells, then the selected cells
  std::unique_ptr<SeriesStore> store_;
  std::vector<MemberFailure> failures_;
};

// This rank's threads: --threads, else its share of the machine's cores.
BatchRunInfo rank_layout(std::size_t scenarios, const BatchRunOptions& options) {
  int threads = options.threads;
  if (threads <= 0)
    threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / std::max(g_world.local_size, 1));
  return batch_layout(scenarios, threads);
}

// Every rank must have loaded the same batch; a rank that did not would
// write records rank 0 rejects, so stop all before any work.
void check_fingerprints(const std::string& fingerprint) {
  char root[64] = {};
  fingerprint.copy(root, std::min<std::size_t>(fingerprint.size(), sizeof root));
  MPI_Bcast(root, sizeof root, MPI_CHAR, 0, MPI_COMM_WORLD);
  int mismatch = fingerprint.compare(0, sizeof root, root, sizeof root) != 0 ? g_world.rank : 0;
  int worst = 0;
  MPI_Allreduce(&mismatch, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (worst != 0)
    throw RunError("MPI rank " + std::to_string(worst) +
                   " loaded a different batch than rank 0 (files differ between machines?)");
}

void idle() { std::this_thread::sleep_for(std::chrono::microseconds(200)); }

}  // namespace


bool mpi_start(int* argc, char*** argv) {
  if (!launched_by_mpi()) return false;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  g_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &g_world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_world.size);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, g_world.rank, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &g_world.local_size);
  MPI_Comm_free(&local);
  return true;
}

void mpi_finish() {
  if (g_started) MPI_Finalize();
  g_started = false;
}

void mpi_abort(int code) {
  if (g_started) MPI_Abort(MPI_COMM_WORLD, code);
}

BatchRunInfo mpi_run(const Batch& batch, const BatchRunOptions& options, const std::string& fingerprint,
                     const std::vector<std::size_t>& todo,
                     const std::function<void(std::size_t, const std::string&)>& on_record) {
  const auto start = std::chrono::steady_clock::now();
  check_fingerprints(fingerprint);
  BatchRunInfo info = rank_layout(todo.size(), options);
  ScenarioPool local(batch, options, fingerprint, info.concurrent, info.threads_per_scenario);

  // The work: whole scenarios, and large ensembles in parts, so that one
  // big scenario spreads over the ranks too. Only where the summaries are
  // exact (rank 0 then summarises the parts' values, as run_ensemble would);
  // a scenario beyond --summary-memory runs whole, on one rank.
  std::vector<Unit> units;
  std::map<std::size_t, PartAssembly> parts;
  const std::int64_t ways = 4 * static_cast<std::int64_t>(g_world.size) * local.slots();
  for (const std::size_t index : todo) {
    const BatchEntry& entry = batch.entries[index];
    const std::int64_t members = entry.scenario.ensemble.members;
    std::size_t headline = 0;
    const std::size_t cells = part_cells(entry, options, &headline).size();
    const bool exact = options.keep_members || (cells - headline) * static_cast<std::uint64_t>(members) *
                                                       sizeof(double) <= options.summary_bytes;
    const std::int64_t count = std::min<std::int64_t>(ways, members / kPartMembers);
    if (g_world.size == 1 || !exact || count < 2) {
      units.push_back({index, 0, 0});
      continue;
    }
    const std::int64_t size = (members + count - 1) / count;
    for (std::int64_t first = 0; first < members; first += size)
      units.push_back({index, static_cast<std::uint64_t>(first),
                       static_cast<std::uint64_t>(std::min(size, members - first))});
    parts.emplace(index, PartAssembly(entry, options, headline, cells));
    notify(options.notice, Notice::Level::info,
           fmt::format("{}: {} members in {} parts over the ranks", entry.scenario.name, members,
                       (members + size - 1) / size));
  }

  std::size_t next = 0;        // units[next] is handed out next
  std::size_t outstanding = 0;  // handed out, result not yet in
  std::string failure;
  // A rank's slots each keep asking until answered kNoWork: rank 0 is done
  // when every slot of every rank has had its kNoWork (no message in flight).
  std::map<int, std::uint64_t> slots, ended;
  auto accept = [&](const std::string& record, const std::string& what) {
    --outstanding;
    if (!failure.empty()) return;
    try {
      const RecordHeader header = record_header(record, what);
      if (header.part.count == -1) {
        on_record(header.index, record);
        return;
      }
      RecordPart part;
      EnsembleResult result = decode_record(record, fingerprint, batch, header.index, what, &part);
      PartAssembly& assembly = parts.at(header.index);
      if (assembly.add(part, result))
        on_record(header.index, assembly.finish(batch.entries[header.index], fingerprint, header.index,
                                                info.threads));
    } catch (const std::exception& e) {
      failure = e.what();
    }
  };
  auto all_ended = [&] {
    if (static_cast<int>(slots.size()) != g_world.size - 1) return false;
    for (const auto& [rank, n] : slots)
      if (ended[rank] != n) return false;
    return true;
  };
  for (;;) {
    while (failure.empty() && next < units.size() && local.busy() < local.slots()) {
      local.submit(units[next++]);
      ++outstanding;
    }
    if ((!failure.empty() || next == units.size()) && outstanding == 0 && all_ended()) break;
    // Ctrl-C reaches every rank (mpirun forwards it): each stops on its own.
    throw_if_interrupted();
    bool worked = false;
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) {
      worked = true;
      const int source = status.MPI_SOURCE;
      if (status.MPI_TAG == kRequest) {
        std::uint64_t n = 0;
        MPI_Recv(&n, 1, MPI_UINT64_T, source, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        slots[source] = n;
        if (failure.empty() && next < units.size()) {
          const Unit& unit = units[next++];
          const std::uint64_t work[3] = {unit.index, unit.first, unit.count};
          ++outstanding;
          MPI_Send(work, 3, MPI_UINT64_T, source, kWork, MPI_COMM_WORLD);
        } else {
          ++ended[source];
          MPI_Send(nullptr, 0, MPI_BYTE, source, kNoWork, MPI_COMM_WORLD);
        }
      } else if (status.MPI_TAG == kResultHead) {
        std::uint64_t head[2];
        MPI_Recv(head, 2, MPI_UINT64_T, source, kResultHead, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        accept(receive_bytes(head[1], source), "a record from MPI rank " + std::to_string(source));
      } else if (status.MPI_TAG == kError) {
        int n = 0;
        MPI_Get_count(&status, MPI_CHAR, &n);
        std::string message(static_cast<std::size_t>(n), '\0');
        MPI_Recv(message.data(), n, MPI_CHAR, source, kError, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        --outstanding;
        if (failure.empty()) failure = message + " (on MPI rank " + std::to_string(source) + ")";
      } else {
        throw std::logic_error("mpi_run: unexpected message tag " + std::to_string(status.MPI_TAG));
      }
    }
    const bool finished = local.drain([&](const ScenarioPool::Done& done) { accept(done.record, "a record of rank 0"); },
                                      [&](const ScenarioPool::Done& done) {
                                        --outstanding;
                                        if (failure.empty()) failure = done.error;
                                      });
    if (!worked && !finished) idle();
  }
  if (!failure.empty()) throw RunError(failure);
  info.threads *= g_world.size;  // about: ranks may differ
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return info;
}

void mpi_serve(const Batch& batch, const BatchRunOptions& options, const std::string& fingerprint) {
  check_fingerprints(fingerprint);
  const BatchRunInfo info = rank_layout(batch.entries.size(), options);
  ScenarioPool local(batch, options, fingerprint, info.concurrent, info.threads_per_scenario);
  const std::uint64_t slots = static_cast<std::uint64_t>(local.slots());
  std::uint64_t asked = 0, answered = 0;
  auto ask = [&] {
    ++asked;
    MPI_Send(&slots, 1, MPI_UINT64_T, 0, kRequest, MPI_COMM_WORLD);
  };
  for (std::uint64_t k = 0; k < slots; ++k) ask();
  while (asked != answered || local.busy() > 0) {
    throw_if_interrupted();
    bool worked = false;
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) {
      worked = true;
      ++answered;
      if (status.MPI_TAG == kWork) {
        std::uint64_t work[3] = {};
        MPI_Recv(work, 3, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (work[0] >= batch.entries.size()) throw std::logic_error("mpi_serve: scenario index out of range");
        local.submit({work[0], work[1], work[2]});
      } else if (status.MPI_TAG == kNoWork) {
        MPI_Recv(nullptr, 0, MPI_BYTE, 0, kNoWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      } else {
        throw std::logic_error("mpi_serve: unexpected message tag " + std::to_string(status.MPI_TAG));
      }
    }
    // A slot whose scenario is done asks again; its chain ends with rank 0's
    // kNoWork, which is how rank 0 knows no message of this rank is still in flight.
    const bool finished = local.drain(
        [&](const ScenarioPool::Done& done) {
          const std::uint64_t head[2] = {done.index, done.record.size()};
          MPI_Send(head, 2, MPI_UINT64_T, 0, kResultHead, MPI_COMM_WORLD);
          send_bytes(done.record, 0);
          ask();
        },
        [&](const ScenarioPool::Done& done) {
          MPI_Send(done.error.data(), static_cast<int>(done.error.size()), MPI_CHAR, 0, kError, MPI_COMM_WORLD);
          ask();
        });
    if (!worked && !finished) idle();
  }
}

#endif

}  // namespace mfgsim
