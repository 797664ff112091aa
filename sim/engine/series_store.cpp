#include "sim/engine/series_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/engine/cell_recorder.h"

namespace mfgsim {

SeriesStore::SeriesStore(const Calendar& calendar, const SectorTable& sectors, std::int64_t members)
    : calendar_(calendar), sectors_(sectors.size()), months_(calendar.months), members_(members) {
  for (int i = 0; i < sectors_; ++i) {
    industry_.push_back(sectors.industry[i] != 0.0);
    manufacturing_.push_back(sectors.manufacturing[i] != 0.0);
  }
  data_.assign(bytes_needed(sectors_, months_, members_) / sizeof(double),
               std::numeric_limits<double>::quiet_NaN());
}

std::uint64_t SeriesStore::bytes_needed(int sectors, int months, std::int64_t members) {
  return static_cast<std::uint64_t>(cell_count(sectors, months)) * static_cast<std::uint64_t>(members) * sizeof(double);
}

void SeriesStore::record(int t, const BlockParams& params, const BlockState& s, std::int64_t first, int count) {
  const int nb = s.members;
  for (int series = 0; series < kRecordedSectorSeries; ++series) {
    const Column& source = sector_series_column(s, static_cast<SectorSeries>(series));
    for (int i = 0; i < sectors_; ++i)
      std::memcpy(cell(static_cast<SectorSeries>(series), i, t) + first, source.data() + i * nb, sizeof(double) * count);
  }
  for (int a = 0; a < kRecordedAggregateSeries; ++a)
    aggregate_row(static_cast<AggregateSeries>(a), t, params, s, count, industry_, manufacturing_,
                  cell(static_cast<AggregateSeries>(a), t) + first);
}

template <class Source, class Target>
void SeriesStore::ytd_yoy(Source source, Target target) {
  for (int t = 0; t < months_; ++t) {
    double* out = target(t);
    const int month_of_year = calendar_.at(t).month;
    for (std::int64_t m = 0; m < members_; ++m) out[m] = ytd_yoy_at(t, month_of_year, [&](int k) { return source(k)[m]; });
  }
}

void SeriesStore::derive() {
  for (int i = 0; i < sectors_; ++i)
    ytd_yoy([&](int t) { return cell(SectorSeries::va, i, t); },
            [&](int t) { return cell(SectorSeries::va_ytd_yoy, i, t); });
  ytd_yoy([&](int t) { return cell(AggregateSeries::industry_va, t); },
          [&](int t) { return cell(AggregateSeries::industry_va_ytd_yoy, t); });
  ytd_yoy([&](int t) { return cell(AggregateSeries::manufacturing_va, t); },
          [&](int t) { return cell(AggregateSeries::manufacturing_va_ytd_yoy, t); });
  for (int t = 0; t < months_; ++t) {
    double* out = cell(AggregateSeries::long_term_loans_yoy, t);
    const double* now = cell(AggregateSeries::long_term_loans, t);
    const double* before = t >= 12 ? cell(AggregateSeries::long_term_loans, t - 12) : now;
    for (std::int64_t m = 0; m < members_; ++m) out[m] = yoy_at(t, now[m], before[m]);
  }
}

void SeriesStore::copy_members(const SeriesStore& part, std::int64_t first) {
  if (part.sectors_ != sectors_ || part.months_ != months_ || first < 0 || first + part.members_ > members_)
    throw std::logic_error("SeriesStore::copy_members: the part does not fit");
  const std::int64_t cells = cell_count(sectors_, months_);
  for (std::int64_t id = 0; id < cells; ++id)
    std::copy_n(part.cell_at(id), part.members_, cell_at(id) + first);
}

}  // namespace mfgsim
