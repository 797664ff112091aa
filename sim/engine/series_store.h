// Holds every reported series of a run, one value per member, for the
// summaries (quantiles across members) and members.csv. Cells are
// (series, sector, month); each cell's members are contiguous.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/engine/engine.h"
#include "sim/engine/series.h"

namespace mfgsim {

class SeriesStore : public MonthObserver {
 public:
  // Memory: (21 S + 12) x months x members doubles.
  SeriesStore(const Calendar& calendar, const SectorTable& sectors, std::int64_t members);

  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first, int count) override;
  // Computes the derived series (ytd-yoy growth, yoy of loans) once all
  // members are recorded. Undefined months hold NaN (reported empty).
  void derive();

  int sectors() const { return sectors_; }
  int months() const { return months_; }
  std::int64_t members() const { return members_; }
  const Calendar& calendar() const { return calendar_; }

  const double* cell(SectorSeries s, int sector, int t) const { return data_.data() + offset(s, sector, t); }
  const double* cell(AggregateSeries a, int t) const { return data_.data() + offset(a, t); }
  double* cell(SectorSeries s, int sector, int t) { return data_.data() + offset(s, sector, t); }
  double* cell(AggregateSeries a, int t) { return data_.data() + offset(a, t); }

  // Cell by id (sim/engine/series.h: sector_cell_id, aggregate_cell_id).
  const double* cell_at(std::int64_t id) const { return data_.data() + static_cast<std::size_t>(id) * members_; }
  double* cell_at(std::int64_t id) { return data_.data() + static_cast<std::size_t>(id) * members_; }

  // Copies every cell of `part` (members 0 .. part.members()) into members
  // first .. first + part.members() (an ensemble assembled from parts).
  void copy_members(const SeriesStore& part, std::int64_t first);

  // Every value, cell after cell (checkpoint records).
  const double* data() const { return data_.data(); }
  double* data() { return data_.data(); }
  std::size_t size() const { return data_.size(); }

  // The most a store of every member's every series may hold (16 GiB): runs
  // that keep members (ensemble, particle filter) refuse more, with the count.
  static constexpr std::uint64_t kMaxBytes = 16ull << 30;
  static std::uint64_t bytes_needed(int sectors, int months, std::int64_t members);

 private:
  std::size_t offset(SectorSeries s, int sector, int t) const {
    return static_cast<std::size_t>(sector_cell_id(static_cast<int>(s), sector, t, sectors_, months_)) * members_;
  }
  std::size_t offset(AggregateSeries a, int t) const {
    return static_cast<std::size_t>(aggregate_cell_id(static_cast<int>(a), t, sectors_, months_)) * members_;
  }
  // ytd-yoy of `source` into `target` (both month-indexed cell getters).
  template <class Source, class Target>
  void ytd_yoy(Source source, Target target);

  Calendar calendar_;
  int sectors_, months_;
  std::int64_t members_;
  std::vector<char> industry_, manufacturing_;
  std::vector<double> data_;
};

}  // namespace mfgsim
