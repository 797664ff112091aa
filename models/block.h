// Structure-of-arrays storage for a block of ensemble members: the data the
// month loop reads (BlockParams) and writes (BlockState). Members are the
// inner, contiguous dimension so each model's loop over members vectorises:
//   sector arrays  [sector * members + m]   (S x nb)
//   member arrays  [m]                      (nb)
//   lever arrays   [month * members + m]    (T x nb)
// Allocated once per worker thread; the month loop never allocates.
// The member stride is padded to a multiple of kMemberPad and every array is
// aligned. The month loop computes each member with the same IEEE operations
// whether a loop is vectorised or not (sim/core/vector_math.h: no libm call;
// GCC contracts a*b+c into an fma alike in a vectorised loop and in scalar
// code), so a member's numbers never depend on its position in the block or
// on the block size (tested).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "models/fields.h"
#include "sim/core/vector_math.h"

namespace mfgsim {

inline constexpr double kMonth = 1.0 / 12.0;  // Δ, years per step
inline constexpr int kMemberPad = 8;          // member stride multiple (64-byte rows)

using Column = std::vector<double, Eigen::aligned_allocator<double>>;
using Row = Eigen::Map<Eigen::ArrayXd, Eigen::AlignedMax>;
using ConstRow = Eigen::Map<const Eigen::ArrayXd, Eigen::AlignedMax>;

// One month of a constant hazard h (1/yr) on a share s: 1 - (1 - s) e^{-Δ h}
// (steps 4 and 5 of MODEL.md).
template <class T>
inline T share_after_hazard(T share, T hazard) {
  return 1.0 - (1.0 - share) * vector_math::exp(-kMonth * hazard);
}

inline int padded_members(int members) { return (members + kMemberPad - 1) / kMemberPad * kMemberPad; }
// Row i (members long) of a [row][member] array.
inline Row row(Column& a, int i, int members) { return Row(a.data() + static_cast<std::size_t>(i) * members, members); }
inline ConstRow row(const Column& a, int i, int members) {
  return ConstRow(a.data() + static_cast<std::size_t>(i) * members, members);
}

struct BlockParams {
  int sectors = 0, members = 0, months = 0;
  int equipment_sector = -1;

  // Sector x member: the columns of models/fields.h (MFGSIM_SECTOR_FIELDS).
#define MFGSIM_X(name, model, symbol, unit, range, integer, doc) Column name;
  MFGSIM_SECTOR_FIELDS(MFGSIM_X)
#undef MFGSIM_X
  // Derived at month 0, sector x member.
  Column final_demand_ref;  // fbar, ¥100m/month of gross output
  Column price_ref;         // P0
  Column credit_ref;        // wbar_i N0, ¥100m/month; 0: credit factor is 1
  Column credit_ref_zero;   // 1 where credit_ref is 0, else 0
  Column capacity_ref;      // Vcap0 = V0/u0, ¥100m/month
  // Reciprocals, so the month loop multiplies instead of dividing.
  Column inv_u0, inv_K0, inv_v, inv_firms;  // 1/u0, 1/K0 (1/¥100m), 1/v, 1/M
  Column inv_price_ref;                     // 1/P0
  Column inv_credit_ref;                    // 1/(wbar_i N0 + credit_ref_zero)

  // Member scalars: the globals of models/fields.h (MFGSIM_GLOBAL_PARAMS)...
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) Column name;
  MFGSIM_GLOBAL_PARAMS(MFGSIM_X)
  // ... and derived from them.
  Column loan_decay;         // 1 - Δ/T_m
  Column short_term_factor;  // (1 + ℓs)^Δ

  // Levers, month x member: MFGSIM_LEVERS's values each month...
  MFGSIM_LEVERS(MFGSIM_X)
#undef MFGSIM_X
  // ... and derived from them.
  Column loan_growth_factor;  // (1 + ℓ(t))^Δ

  // Cumulative demonstration enterprises designated up to month t, month x sector
  // (shared by all members; weights are per member).
  Column demo_national, demo_provincial;

  void allocate(int sectors, int members, int months);
  // Copies member column `from` of `source` into column `to` of this block
  // (same sectors and months). `levers` (optional, one flag per
  // lever_arrays() entry): 0 skips a lever array, for callers that know it
  // holds the same values in every member (a T-month copy per array saved).
  void copy_member(const BlockParams& source, int from, int to, const std::vector<char>* levers = nullptr);

  using Array = Column BlockParams::*;
  static const std::vector<Array>& sector_arrays();
  static const std::vector<Array>& member_arrays();
  static const std::vector<Array>& lever_arrays();
};

struct BlockState {
  int sectors = 0, members = 0;
  // Stocks and memories, sector x member.
  Column z, adoption, upgrade, log_tfp, capital, energy_intensity, long_term_loans,
      short_term_loans, va_prev, pressure;
  // The persistent trend (models/trend.h), sector x member: level μ_i (log
  // deviation of final demand) and drift d_i (per month). 0 unless a
  // stochastic run has `trend_shocks:`.
  Column trend_level, trend_drift;
  // This month's values, sector x member.
  Column adopted_firms, demonstration_firms;  // firm counts (expected ones in aggregate mode)
  Column new_loans, adoption_new, upgrade_new, retrofit, investment, price, capacity,
      final_demand, demand_output, va, gross_output, utilisation, energy, co2;
  // Member scalars.
  Column common_factor, recycling, new_loans_prev, new_loans_total, scratch;
  Column investment_total, retrofit_total;  // Σ_i Icore_i, Σ_i G_i this month (step 13)

  void allocate(int sectors, int members);
  // Copies every array of member column `from` of `source` into column `to`
  // (same sectors): a particle filter's resampling.
  void copy_member(const BlockState& source, int from, int to);
};

}  // namespace mfgsim
