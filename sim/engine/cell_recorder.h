// Records chosen cells (sim/engine/series.h ids) of a block of members
// straight from the block state into a caller's buffer: the cells a run
// summarises or keeps, instead of every series of every member-month
// (SeriesStore). The derived series (ytd-yoy growth, yoy of loans) are
// computed month by month from a block-sized history of their sources'
// year-to-date sums, with the same additions in the same order as
// SeriesStore::derive, so values are bit-identical.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/engine/engine.h"
#include "sim/engine/series.h"

namespace mfgsim {

// The state column a recorded per-sector series is read from (series below
// SectorSeries::va_ytd_yoy), sector x member.
const Column& sector_series_column(const BlockState& state, SectorSeries series);

// A recorded aggregate (AggregateSeries below industry_va_ytd_yoy) of
// members 0 .. count-1 after month t, into out[0 .. count): sums over the
// sectors industry and manufacturing flag (each member's in sector order,
// a loop over members inside, so it vectorises), and the levers
// (kLeverSeries) as the step used them.
void aggregate_row(AggregateSeries series, int t, const BlockParams& params, const BlockState& state, int count,
                   const std::vector<char>& industry, const std::vector<char>& manufacturing, double* out);

// Year-to-date growth on the same months a year before, at month t whose
// month of the year is month_of_year (1..12); source(k) is the value at
// month k. NaN when the sums reach before month 0.
template <class Source>
double ytd_yoy_at(int t, int month_of_year, Source source) {
  if (t - 12 - (month_of_year - 1) < 0) return std::numeric_limits<double>::quiet_NaN();
  double current = 0.0, previous = 0.0;
  for (int k = t - (month_of_year - 1); k <= t; ++k) {
    current += source(k);
    previous += source(k - 12);
  }
  return current / previous - 1.0;
}

// Growth on a year before at month t (NaN for t < 12).
inline double yoy_at(int t, double now, double year_before) {
  return t >= 12 ? now / year_before - 1.0 : std::numeric_limits<double>::quiet_NaN();
}

class CellRecorder : public MonthObserver {
 public:
  // cells: ids in any order (cell k is the k-th); block: the most members a
  // block records. Memory: with a derived series selected, (S + 3) x months
  // x block doubles of history.
  CellRecorder(const Calendar& calendar, const SectorTable& sectors, const std::vector<std::int64_t>& cells,
               int block);

  // Where the following blocks go: member m of cell k at out[k * stride + m].
  void target(double* out, std::int64_t stride) {
    out_ = out;
    stride_ = stride;
    by_month_rows_ = false;
  }
  // Or each month's cells only, over the last month's: member m of the j-th
  // cell of month t (in the order of `cells`) at out[j * stride + m]. A
  // caller that takes each month's rows as they are recorded needs a
  // buffer of one month's cells, which stays in L1, not the whole block's.
  void target_month(double* out, std::int64_t stride) {
    target(out, stride);
    by_month_rows_ = true;
  }
  void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first, int count) override;

 private:
  enum class Kind { sector, aggregate, sector_ytd_yoy, aggregate_derived };
  struct Entry {
    std::int64_t k;          // row in the output
    std::int64_t month_row;  // row in a month's output (target_month)
    Kind kind;
    int series, sector;
  };
  // ytd_yoy_at of `source` (year-to-date sums in history_) for members
  // 0 .. count-1 into out.
  void ytd_yoy_row(int t, int month_of_year, int source, int count, double* out);
  double* history(int source, int t) { return history_.data() + (static_cast<std::size_t>(source) * months_ + t) * block_; }

  Calendar calendar_;
  int sectors_, months_, block_;
  std::vector<char> industry_, manufacturing_;
  std::vector<std::vector<Entry>> by_month_;  // [t]
  bool derived_ = false, by_month_rows_ = false;
  std::vector<AggregateSeries> aggregates_;  // those recorded (selected or sources of derived series)
  std::vector<double> aggregates_now_;  // [series * block + m], this month
  // Sources of derived series, [source][t][m]: the year-to-date sums of va
  // of each sector, of industry_va and of manufacturing_va, then
  // long_term_loans itself.
  std::vector<double> history_;
  double* out_ = nullptr;
  std::int64_t stride_ = 0;
};

}  // namespace mfgsim
