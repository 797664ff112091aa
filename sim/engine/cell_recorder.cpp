#include "sim/engine/cell_recorder.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace mfgsim {

namespace {

// A block's row: an inline loop, not a libc call per (cell, block).
void copy(const double* from, int count, double* to) {
  for (int m = 0; m < count; ++m) to[m] = from[m];
}

}  // namespace

const Column& sector_series_column(const BlockState& s, SectorSeries series) {
  static constexpr Column BlockState::*kColumns[kRecordedSectorSeries] = {
      &BlockState::va, &BlockState::gross_output, &BlockState::capacity, &BlockState::utilisation,
      &BlockState::capital, &BlockState::investment, &BlockState::retrofit, &BlockState::new_loans,
      &BlockState::price, &BlockState::pressure, &BlockState::long_term_loans, &BlockState::short_term_loans,
      &BlockState::adoption, &BlockState::upgrade, &BlockState::log_tfp, &BlockState::energy_intensity,
      &BlockState::energy, &BlockState::co2, &BlockState::adopted_firms, &BlockState::demonstration_firms};
  return s.*kColumns[static_cast<int>(series)];
}

void member_aggregates(int t, const BlockParams& params, const BlockState& s, int m,
                       const std::vector<char>& industry, const std::vector<char>& manufacturing, double* out) {
  const int nb = s.members;
  double ind = 0, mfg = 0, c = 0, e = 0, adopted = 0, lm = 0, loans = 0;
  for (int i = 0; i < s.sectors; ++i) {
    const int k = i * nb + m;
    if (industry[i]) ind += s.va[k];
    if (manufacturing[i]) {
      mfg += s.va[k];
      adopted += s.va[k] * s.adoption[k];
      lm += s.long_term_loans[k];
      loans += s.long_term_loans[k] + s.short_term_loans[k];
    }
    c += s.co2[k];
    e += s.energy[k];
  }
  using A = AggregateSeries;
  out[static_cast<int>(A::industry_va)] = ind;
  out[static_cast<int>(A::manufacturing_va)] = mfg;
  out[static_cast<int>(A::co2)] = c;
  out[static_cast<int>(A::energy)] = e;
  out[static_cast<int>(A::adoption)] = adopted / mfg;
  out[static_cast<int>(A::long_term_loans)] = lm;
  out[static_cast<int>(A::long_term_share)] = lm / loans;
  out[static_cast<int>(A::new_loans)] = s.new_loans_total[m];
  out[static_cast<int>(A::recycling_ratio)] = s.recycling[m];
  // The levers this month, month x member.
  const std::size_t lever = static_cast<std::size_t>(t) * params.members + m;
  out[static_cast<int>(A::carbon_price)] = params.carbon_price[lever];
  out[static_cast<int>(A::retrofit_push)] = params.retrofit_push[lever];
  out[static_cast<int>(A::long_term_growth)] = params.long_term_growth[lever];
  out[static_cast<int>(A::innovation_p)] = params.innovation_p[lever];
  out[static_cast<int>(A::recycling_target)] = params.recycling_target[lever];
}

CellRecorder::CellRecorder(const Calendar& calendar, const SectorTable& sectors,
                           const std::vector<std::int64_t>& cells, int block)
    : calendar_(calendar), sectors_(sectors.size()), months_(calendar.months), block_(block) {
  for (int i = 0; i < sectors_; ++i) {
    industry_.push_back(sectors.industry[i] != 0.0);
    manufacturing_.push_back(sectors.manufacturing[i] != 0.0);
  }
  by_month_.resize(static_cast<std::size_t>(months_));
  const std::int64_t sector_cells = static_cast<std::int64_t>(kSectorSeriesCount) * sectors_ * months_;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const std::int64_t id = cells[k];
    if (id < 0 || id >= cell_count(sectors_, months_)) throw std::out_of_range("CellRecorder: no cell " + std::to_string(id));
    const int t = static_cast<int>(id % months_);
    Entry entry{static_cast<std::int64_t>(k), Kind::sector, 0, 0};
    if (id < sector_cells) {
      entry.series = static_cast<int>(id / months_ / sectors_);
      entry.sector = static_cast<int>((id / months_) % sectors_);
      if (entry.series >= kRecordedSectorSeries) entry.kind = Kind::sector_ytd_yoy;
    } else {
      entry.series = static_cast<int>((id - sector_cells) / months_);
      entry.kind = entry.series >= kRecordedAggregateSeries ? Kind::aggregate_derived : Kind::aggregate;
      aggregates_ = true;
    }
    derived_ = derived_ || entry.kind == Kind::sector_ytd_yoy || entry.kind == Kind::aggregate_derived;
    by_month_[t].push_back(entry);
  }
  aggregates_ = aggregates_ || derived_;
  if (aggregates_) aggregates_now_.assign(static_cast<std::size_t>(kRecordedAggregateSeries) * block_, 0.0);
  if (derived_) history_.assign(static_cast<std::size_t>(sectors_ + 3) * months_ * block_, 0.0);
}

void CellRecorder::ytd_yoy_row(int t, int month_of_year, int source, int count, double* out) {
  if (t - 12 - (month_of_year - 1) < 0) {
    std::fill(out, out + count, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  const double* now = history(source, t);
  const double* before = history(source, t - 12);
  for (int m = 0; m < count; ++m) out[m] = now[m] / before[m] - 1.0;
}

void CellRecorder::record(int t, const BlockParams& params, const BlockState& s, std::int64_t, int count) {
  if (count > block_) throw std::logic_error("CellRecorder: block larger than allocated");
  const int nb = s.members;
  using A = AggregateSeries;
  if (aggregates_) {
    double values[kRecordedAggregateSeries];
    for (int m = 0; m < count; ++m) {
      member_aggregates(t, params, s, m, industry_, manufacturing_, values);
      for (int a = 0; a < kRecordedAggregateSeries; ++a) aggregates_now_[static_cast<std::size_t>(a) * block_ + m] = values[a];
    }
  }
  const double* now_of[3] = {aggregates_now_.data() + static_cast<int>(A::industry_va) * block_,
                             aggregates_now_.data() + static_cast<int>(A::manufacturing_va) * block_,
                             aggregates_now_.data() + static_cast<int>(A::long_term_loans) * block_};
  const int month_of_year = calendar_.at(t).month;
  if (derived_) {
    // Year-to-date sums of va: January's is 0.0 + its value, each later
    // month's the previous month's plus its value, the additions (and so the
    // bits) of ytd_yoy_at's sums month by month.
    auto add_ytd = [&](int source, const double* value) {
      double* sum = history(source, t);
      const double* before = t > 0 && month_of_year != 1 ? history(source, t - 1) : nullptr;
      for (int m = 0; m < count; ++m) sum[m] = (before ? before[m] : 0.0) + value[m];
    };
    for (int i = 0; i < sectors_; ++i) add_ytd(i, s.va.data() + i * nb);
    for (int source = 0; source < 2; ++source) add_ytd(sectors_ + source, now_of[source]);
    std::memcpy(history(sectors_ + 2, t), now_of[2], sizeof(double) * count);
  }
  for (const Entry& e : by_month_[t]) {
    double* out = out_ + e.k * stride_;
    switch (e.kind) {
      case Kind::sector:
        copy(sector_series_column(s, static_cast<SectorSeries>(e.series)).data() + e.sector * nb, count, out);
        break;
      case Kind::aggregate:
        copy(aggregates_now_.data() + static_cast<std::size_t>(e.series) * block_, count, out);
        break;
      case Kind::sector_ytd_yoy:
      case Kind::aggregate_derived: {
        int source = e.sector;  // va of the sector
        if (e.kind == Kind::aggregate_derived)
          source = sectors_ + (e.series == static_cast<int>(A::industry_va_ytd_yoy)      ? 0
                               : e.series == static_cast<int>(A::manufacturing_va_ytd_yoy) ? 1
                                                                                           : 2);
        if (source == sectors_ + 2) {  // long_term_loans_yoy
          for (int m = 0; m < count; ++m)
            out[m] = yoy_at(t, history(source, t)[m], t >= 12 ? history(source, t - 12)[m] : 0.0);
        } else {
          ytd_yoy_row(t, month_of_year, source, count, out);
        }
        break;
      }
    }
  }
}

}  // namespace mfgsim
