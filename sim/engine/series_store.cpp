#include "sim/engine/series_store.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

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
  const Column* sources[kRecordedSectorSeries] = {
      &s.va, &s.gross_output, &s.capacity, &s.utilisation, &s.capital, &s.investment, &s.retrofit,
      &s.new_loans, &s.price, &s.pressure, &s.long_term_loans, &s.short_term_loans, &s.adoption,
      &s.upgrade, &s.log_tfp, &s.energy_intensity, &s.energy, &s.co2, &s.adopted_firms, &s.demonstration_firms};
  for (int series = 0; series < kRecordedSectorSeries; ++series)
    for (int i = 0; i < sectors_; ++i)
      std::memcpy(cell(static_cast<SectorSeries>(series), i, t) + first, sources[series]->data() + i * nb,
                  sizeof(double) * count);
  double* industry = cell(AggregateSeries::industry_va, t) + first;
  double* manufacturing = cell(AggregateSeries::manufacturing_va, t) + first;
  double* co2 = cell(AggregateSeries::co2, t) + first;
  double* energy = cell(AggregateSeries::energy, t) + first;
  double* adoption = cell(AggregateSeries::adoption, t) + first;
  double* long_term = cell(AggregateSeries::long_term_loans, t) + first;
  double* share = cell(AggregateSeries::long_term_share, t) + first;
  for (int m = 0; m < count; ++m) {
    double ind = 0, mfg = 0, c = 0, e = 0, adopted = 0, lm = 0, loans = 0;
    for (int i = 0; i < sectors_; ++i) {
      const int k = i * nb + m;
      if (industry_[i]) ind += s.va[k];
      if (manufacturing_[i]) {
        mfg += s.va[k];
        adopted += s.va[k] * s.adoption[k];
        lm += s.long_term_loans[k];
        loans += s.long_term_loans[k] + s.short_term_loans[k];
      }
      c += s.co2[k];
      e += s.energy[k];
    }
    industry[m] = ind;
    manufacturing[m] = mfg;
    co2[m] = c;
    energy[m] = e;
    adoption[m] = adopted / mfg;
    long_term[m] = lm;
    share[m] = lm / loans;
  }
  std::memcpy(cell(AggregateSeries::new_loans, t) + first, s.new_loans_total.data(), sizeof(double) * count);
  std::memcpy(cell(AggregateSeries::recycling_ratio, t) + first, s.recycling.data(), sizeof(double) * count);
  // The levers this month, as the step used them ([month * members + m]).
  const std::pair<AggregateSeries, const Column*> levers[] = {
      {AggregateSeries::carbon_price, &params.carbon_price},
      {AggregateSeries::retrofit_push, &params.retrofit_push},
      {AggregateSeries::long_term_growth, &params.long_term_growth},
      {AggregateSeries::innovation_p, &params.innovation_p},
      {AggregateSeries::recycling_target, &params.recycling_target}};
  for (const auto& [series, lever] : levers)
    std::memcpy(cell(series, t) + first, lever->data() + static_cast<std::size_t>(t) * params.members,
                sizeof(double) * count);
}

template <class Source, class Target>
void SeriesStore::ytd_yoy(Source source, Target target) {
  for (int t = 0; t < months_; ++t) {
    double* out = target(t);
    const int months_into_year = calendar_.at(t).month;  // sums over months 1..m of the year
    const int earliest = t - 12 - (months_into_year - 1);
    if (earliest < 0) {
      for (std::int64_t m = 0; m < members_; ++m) out[m] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    for (std::int64_t m = 0; m < members_; ++m) {
      double current = 0.0, previous = 0.0;
      for (int k = t - (months_into_year - 1); k <= t; ++k) {
        current += source(k)[m];
        previous += source(k - 12)[m];
      }
      out[m] = current / previous - 1.0;
    }
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
    for (std::int64_t m = 0; m < members_; ++m)
      out[m] = t >= 12 ? cell(AggregateSeries::long_term_loans, t)[m] / cell(AggregateSeries::long_term_loans, t - 12)[m] - 1.0
                       : std::numeric_limits<double>::quiet_NaN();
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
