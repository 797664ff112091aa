// Helpers of the model step tests (tests/models/*_test.cpp): a small
// hand-filled BlockParams/BlockState (models/block.h), element access by
// (row, member), filling and setting rows, loops over cells and members
// that name the cell in failures, a step test's usual shape (each output
// cell against its equation on the inputs: expect_each_cell), a
// relative-tolerance check, and the member-independence check shared by
// every step: members are the vectorised inner dimension, so member m's
// outputs must depend on member m's inputs alone.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "models/block.h"

namespace mfgsim::model_test {

inline constexpr double kDelta = 1.0 / 12.0;  // Δ, MODEL.md
inline constexpr double kRel = 1e-12;         // default relative tolerance of a step against its equation
inline constexpr int kMembers = 8;            // one padded member row (kMemberPad)

using ParamArray = Column BlockParams::*;
using StateArray = Column BlockState::*;

// Every array of BlockState (sector x member or member scalars).
inline const std::vector<StateArray>& state_arrays() {
  using S = BlockState;
  static const std::vector<StateArray> arrays = {
      &S::z, &S::adoption, &S::upgrade, &S::log_tfp, &S::capital, &S::energy_intensity, &S::long_term_loans,
      &S::short_term_loans, &S::va_prev, &S::pressure, &S::trend_level, &S::trend_drift, &S::adopted_firms, &S::demonstration_firms, &S::new_loans,
      &S::adoption_new, &S::upgrade_new, &S::retrofit, &S::investment, &S::price, &S::capacity, &S::final_demand,
      &S::demand_output, &S::va, &S::gross_output, &S::utilisation, &S::energy, &S::co2, &S::common_factor,
      &S::recycling, &S::new_loans_prev, &S::new_loans_total, &S::scratch};
  return arrays;
}

// Every per-member array of BlockParams ([row * members + m]); the
// demonstration counts (month x sector, shared by all members) are not.
inline std::vector<ParamArray> param_arrays() {
  std::vector<ParamArray> arrays = BlockParams::sector_arrays();
  for (ParamArray a : BlockParams::member_arrays()) arrays.push_back(a);
  for (ParamArray a : BlockParams::lever_arrays()) arrays.push_back(a);
  return arrays;
}

struct Block {
  BlockParams p;
  BlockState s;
  explicit Block(int sectors, int months = 1, int members = kMembers) {
    p.allocate(sectors, members, months);
    s.allocate(sectors, members);
  }
  int nb() const { return p.members; }
  // Sector (or month, for levers) row `i`, member m.
  double& at(ParamArray a, int i, int m) { return (p.*a)[static_cast<std::size_t>(i) * nb() + m]; }
  double& at(StateArray a, int i, int m) { return (s.*a)[static_cast<std::size_t>(i) * nb() + m]; }
  double at(ParamArray a, int i, int m) const { return (p.*a)[static_cast<std::size_t>(i) * nb() + m]; }
  double at(StateArray a, int i, int m) const { return (s.*a)[static_cast<std::size_t>(i) * nb() + m]; }
  // Member scalars.
  double& at(ParamArray a, int m) { return at(a, 0, m); }
  double& at(StateArray a, int m) { return at(a, 0, m); }
  double at(ParamArray a, int m) const { return at(a, 0, m); }
  double at(StateArray a, int m) const { return at(a, 0, m); }
  // A lever's value in every month for member m.
  void set_lever(ParamArray a, int m, double value) {
    for (int t = 0; t < p.months; ++t) at(a, t, m) = value;
  }
};

// `b` with its cells set by fill(b, i, m), for every sector i and member m.
template <class Fill>
Block fill_cells(Block b, Fill fill) {
  for (int i = 0; i < b.p.sectors; ++i)
    for (int m = 0; m < b.nb(); ++m) fill(b, i, m);
  return b;
}

// One row of a parameter or state array (a sector, a month for levers, 0
// for member scalars) and the value every member gets there.
struct RowValue {
  RowValue(ParamArray a, int r, double v) : param(a), row(r), value(v) {}
  RowValue(StateArray a, int r, double v) : state(a), row(r), value(v) {}
  ParamArray param = nullptr;
  StateArray state = nullptr;
  int row;
  double value;
};

// `b` with each of the rows of `values` set to its value in every member.
inline Block with_rows(Block b, std::initializer_list<RowValue> values) {
  for (const RowValue& v : values)
    for (int m = 0; m < b.nb(); ++m) (v.param ? b.at(v.param, v.row, m) : b.at(v.state, v.row, m)) = v.value;
  return b;
}

// Calls f(i, m) for every sector i and member m of `b`, naming the cell in
// any failure f reports.
template <class F>
void for_each_cell(const Block& b, F f) {
  const bool failed_before = ::testing::Test::HasFatalFailure();
  for (int i = 0; i < b.p.sectors; ++i)
    for (int m = 0; m < b.nb(); ++m) {
      SCOPED_TRACE(::testing::Message() << "sector " << i << ", member " << m);
      f(i, m);
      if (!failed_before && ::testing::Test::HasFatalFailure()) return;  // an ASSERT in f ends the loop
    }
}

// Calls f(m) for every member m of `b`, naming the member in any failure.
template <class F>
void for_each_member(const Block& b, F f) {
  const bool failed_before = ::testing::Test::HasFatalFailure();
  for (int m = 0; m < b.nb(); ++m) {
    SCOPED_TRACE(::testing::Message() << "member " << m);
    f(m);
    if (!failed_before && ::testing::Test::HasFatalFailure()) return;
  }
}

// A step of the whole block made of a row step: row_step(p, s, i), or
// row_step(p, s, t, i) in month t, for every sector i.
template <class RowStep>
auto every_row(RowStep row_step) {
  return [row_step](Block& b) {
    for (int i = 0; i < b.p.sectors; ++i) row_step(b.p, b.s, i);
  };
}
template <class RowStep>
auto every_row(int t, RowStep row_step) {
  return [t, row_step](Block& b) {
    for (int i = 0; i < b.p.sectors; ++i) row_step(b.p, b.s, t, i);
  };
}

// Runs `step` on a copy of `inputs`, then calls check(out, in, i, m) for
// every sector i and member m: `out` the block after the step, `in` its
// inputs, untouched. The usual shape of a step test: each output cell
// against its equation evaluated on the inputs.
template <class Step, class Check>
void expect_each_cell(const Block& inputs, Step step, Check check) {
  Block out = inputs;
  step(out);
  for_each_cell(out, [&](int i, int m) { check(out, inputs, i, m); });
}

// |actual - expected| <= rel |expected| + abs.
inline ::testing::AssertionResult near_rel(double actual, double expected, double rel = kRel, double abs = 0.0) {
  const double error = std::fabs(actual - expected);
  if (error <= rel * std::fabs(expected) + abs) return ::testing::AssertionSuccess();
  char buf[256];
  std::snprintf(buf, sizeof buf, "got %.17g, expected %.17g (relative error %.3g > %.3g%s)", actual, expected,
                expected != 0.0 ? error / std::fabs(expected) : error, rel, abs > 0.0 ? " + abs floor" : "");
  return ::testing::AssertionFailure() << buf;
}

inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Runs `step` on the block, then, for each member m, on a copy whose other
// members' inputs (every parameter and state array) are NaN: member m's
// outputs (every state array) must be bitwise the same. This shows that a
// member's numbers depend on its own inputs only, whatever its neighbours
// in the vectorised row hold.
template <class Step>
void expect_members_independent(const Block& block, Step step) {
  Block reference = block;
  step(reference);
  const int nb = block.nb();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int m = 0; m < nb; ++m) {
    Block poisoned = block;
    for (ParamArray a : param_arrays())
      for (std::size_t k = 0; k < (poisoned.p.*a).size(); ++k)
        if (static_cast<int>(k % nb) != m) (poisoned.p.*a)[k] = nan;
    for (StateArray a : state_arrays())
      for (std::size_t k = 0; k < (poisoned.s.*a).size(); ++k)
        if (static_cast<int>(k % nb) != m) (poisoned.s.*a)[k] = nan;
    step(poisoned);
    int index = 0;
    for (StateArray a : state_arrays()) {
      for (std::size_t k = static_cast<std::size_t>(m); k < (reference.s.*a).size(); k += nb)
        ASSERT_TRUE(same_bits((poisoned.s.*a)[k], (reference.s.*a)[k]))
            << "state array #" << index << ", row " << k / nb << ", member " << m << ": "
            << (poisoned.s.*a)[k] << " with NaN neighbours, " << (reference.s.*a)[k] << " without";
      ++index;
    }
  }
}

}  // namespace mfgsim::model_test
