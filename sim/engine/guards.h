// Numerical guards: after every month the engine checks that the state the
// model's equations need stays finite and inside its domain (MODEL.md):
//
//   variable            requirement        why
//   long_term_loans     finite, >= 0       a loan stock
//   short_term_loans    finite, >= 0       a loan stock
//   adoption            in [0, 1] (*)      a share
//   upgrade_share       in [0, 1] (*)      a share
//   capital             finite, >= 0       (K/K0)^α in capacity
//   price               finite, > 0        (P/P0)^-ε in demand
//   capacity            finite, > 0        utilisation and pressure divide by it
//   demand_pressure     finite, >= 0       (pressure/u0)^φ in investment
//   va                  finite, >= 0       output
//
// (*) compared with a tolerance of kShareTolerance = 4 ulp of 1 (8.9e-16)
// at both ends. Every share the model computes stays in [0, 1] by
// construction: 1 - (1 - a) exp(-x) with a in [0, 1] and x >= 0 cannot
// round past either bound (monotone rounding), and firm mode's
// size-weighted sums are clamped (models/firms.h). The tolerance is for a
// share computed by a short expression (a few roundings of at most half an
// ulp each); a share further out (1 + 1e-15 is 5 ulp; an unclamped sum of
// many terms; NaN) is a fault and fails.
//
// in this order (the order of the step, so a cause is named before its
// effects). A member that fails is stopped: the first failing value (month,
// variable, sector ascending) is reported, and none of its months from then
// on are used. The check is one vectorised pass over the nine variables of
// the whole block, counting values outside their requirement; members are
// located only when a block fails.
#pragma once

#include <array>
#include <cfloat>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "models/block.h"

namespace mfgsim {

inline constexpr double kShareTolerance = 4.0 * DBL_EPSILON;

enum class GuardedVariable : std::uint8_t {
  long_term_loans, short_term_loans, adoption, upgrade_share, capital, price, capacity, demand_pressure, va, count
};
inline constexpr int kGuardedVariableCount = static_cast<int>(GuardedVariable::count);

// A member's first failing value, with the inputs of the variable's
// equation at that point (guard_inputs(variable) names them).
struct GuardHit {
  int column = 0;  // the member's column in the block
  int month = 0;   // month index t
  GuardedVariable variable = GuardedVariable::va;
  int sector = 0;
  double value = 0.0;
  std::array<double, 8> inputs{};
};

// Checks month t of every column of the block. A column not failed before
// (failed_month[column] < 0) whose value breaks a requirement gets
// failed_month[column] = t and one GuardHit appended. Does not allocate when
// `hits` has capacity for every column. Returns the number of new hits.
// std::invalid_argument when t is outside the block's months [0, params.months).
int check_month(int t, const BlockParams& params, const BlockState& state, std::vector<int>& failed_month,
                std::vector<GuardHit>& hits);

// The variable's name (as in result files, sim/engine/series.h), its requirement
// ("finite and > 0"), its equation (MODEL.md) and the names of GuardHit::inputs.
std::string_view guard_variable_name(GuardedVariable variable);
std::string_view guard_requirement(GuardedVariable variable);
std::string_view guard_equation(GuardedVariable variable);
std::span<const char* const> guard_inputs(GuardedVariable variable);

// The bounds a value is compared with (lower, upper; upper is DBL_MAX when
// unbounded; shares include kShareTolerance).
struct GuardBounds {
  double lo, hi;
};
GuardBounds guard_bounds(GuardedVariable variable);

}  // namespace mfgsim
