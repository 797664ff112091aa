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

void aggregate_row(AggregateSeries series, int t, const BlockParams& params, const BlockState& s, int count,
                   const std::vector<char>& industry, const std::vector<char>& manufacturing, double* out) {
  using A = AggregateSeries;
  const int nb = s.members;
  // out = the sum over the flagged sectors of column(i), 0.0 first.
  auto sum_over = [&](const std::vector<char>* flagged, const Column& column, double* into) {
    std::fill(into, into + count, 0.0);
    for (int i = 0; i < s.sectors; ++i)
      if (!flagged || (*flagged)[i])
        for (int m = 0; m < count; ++m) into[m] += column[i * nb + m];
  };
  // Ratios: numerator and denominator summed in chunks that fit the stack.
  constexpr int kChunk = 64;
  auto ratio = [&](auto numerator_term, auto denominator_term) {
    for (int start = 0; start < count; start += kChunk) {
      const int n = std::min(kChunk, count - start);
      double numerator[kChunk] = {}, denominator[kChunk] = {};
      for (int i = 0; i < s.sectors; ++i)
        if (manufacturing[i])
          for (int m = 0; m < n; ++m) {
            const int k = i * nb + start + m;
            numerator[m] += numerator_term(k);
            denominator[m] += denominator_term(k);
          }
      for (int m = 0; m < n; ++m) out[start + m] = numerator[m] / denominator[m];
    }
  };
  auto lever = [&](const auto& values) {
    // The levers this month, month x member.
    const double* row = values.data() + static_cast<std::size_t>(t) * params.members;
    std::copy(row, row + count, out);
  };
  switch (series) {
    case A::industry_va: return sum_over(&industry, s.va, out);
    case A::manufacturing_va: return sum_over(&manufacturing, s.va, out);
    case A::co2: return sum_over(nullptr, s.co2, out);
    case A::energy: return sum_over(nullptr, s.energy, out);
    case A::adoption: return ratio([&](int k) { return s.va[k] * s.adoption[k]; }, [&](int k) { return s.va[k]; });
    case A::long_term_loans: return sum_over(&manufacturing, s.long_term_loans, out);
    case A::long_term_share:
      return ratio([&](int k) { return s.long_term_loans[k]; },
                   [&](int k) { return s.long_term_loans[k] + s.short_term_loans[k]; });
    case A::new_loans: return std::copy(s.new_loans_total.data(), s.new_loans_total.data() + count, out), void();
    case A::recycling_ratio: return std::copy(s.recycling.data(), s.recycling.data() + count, out), void();
    case A::carbon_price: return lever(params.carbon_price);
    case A::retrofit_push: return lever(params.retrofit_push);
    case A::long_term_growth: return lever(params.long_term_growth);
    case A::innovation_p: return lever(params.innovation_p);
    case A::recycling_target: return lever(params.recycling_target);
    default: throw std::logic_error("aggregate_row: a derived series");
  }
}

CellRecorder::CellRecorder(const Calendar& calendar, const SectorTable& sectors,
                           const std::vector<std::int64_t>& cells, int block)
    : calendar_(calendar), sectors_(sectors.size()), months_(calendar.months), block_(block) {
  for (int i = 0; i < sectors_; ++i) {
    industry_.push_back(sectors.industry[i] != 0.0);
    manufacturing_.push_back(sectors.manufacturing[i] != 0.0);
  }
  by_month_.resize(static_cast<std::size_t>(months_));
  bool wanted[kRecordedAggregateSeries] = {};
  const std::int64_t sector_cells = static_cast<std::int64_t>(kSectorSeriesCount) * sectors_ * months_;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const std::int64_t id = cells[k];
    if (id < 0 || id >= cell_count(sectors_, months_)) throw std::out_of_range("CellRecorder: no cell " + std::to_string(id));
    const int t = static_cast<int>(id % months_);
    Entry entry{static_cast<std::int64_t>(k), static_cast<std::int64_t>(by_month_[t].size()), Kind::sector, 0, 0};
    if (id < sector_cells) {
      entry.series = static_cast<int>(id / months_ / sectors_);
      entry.sector = static_cast<int>((id / months_) % sectors_);
      if (entry.series >= kRecordedSectorSeries) entry.kind = Kind::sector_ytd_yoy;
    } else {
      entry.series = static_cast<int>((id - sector_cells) / months_);
      entry.kind = entry.series >= kRecordedAggregateSeries ? Kind::aggregate_derived : Kind::aggregate;
      if (entry.kind == Kind::aggregate) wanted[entry.series] = true;
    }
    derived_ = derived_ || entry.kind == Kind::sector_ytd_yoy || entry.kind == Kind::aggregate_derived;
    by_month_[t].push_back(entry);
  }
  using A = AggregateSeries;
  if (derived_)  // the sources of the derived series
    for (const A source : {A::industry_va, A::manufacturing_va, A::long_term_loans}) wanted[static_cast<int>(source)] = true;
  for (int a = 0; a < kRecordedAggregateSeries; ++a)
    if (wanted[a]) aggregates_.push_back(static_cast<A>(a));
  if (!aggregates_.empty()) aggregates_now_.assign(static_cast<std::size_t>(kRecordedAggregateSeries) * block_, 0.0);
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
  for (const AggregateSeries a : aggregates_)
    aggregate_row(a, t, params, s, count, industry_, manufacturing_,
                  aggregates_now_.data() + static_cast<std::size_t>(a) * block_);
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
    double* out = out_ + (by_month_rows_ ? e.month_row : e.k) * stride_;
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
