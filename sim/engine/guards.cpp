#include "sim/engine/guards.h"

#include <cfloat>
#include <stdexcept>
#include <string>
#include <utility>

namespace mfgsim {

namespace {

struct Rule {
  Column BlockState::*state;
  double lo;
  bool lo_open;
  double hi;  // DBL_MAX when unbounded: +inf fails `x <= hi`
  const char* name;
  const char* requirement;
  const char* equation;
};

using B = BlockState;
constexpr double kShareLow = -kShareTolerance, kShareHigh = 1.0 + kShareTolerance;
// Indexed by GuardedVariable.
constexpr Rule kRules[kGuardedVariableCount] = {
    {&B::long_term_loans, 0.0, false, DBL_MAX, "long_term_loans", "finite and >= 0", "Lm = Lm (1 - Δ/T_m) + N_i"},
    {&B::short_term_loans, 0.0, false, DBL_MAX, "short_term_loans", "finite and >= 0", "Ls = Ls (1 + ℓs)^Δ"},
    {&B::adoption, kShareLow, false, kShareHigh, "adoption", "in [0, 1]", "a = 1 - (1 - a) exp(-Δ h)"},
    {&B::upgrade, kShareLow, false, kShareHigh, "upgrade_share", "in [0, 1]", "g = 1 - (1 - g) exp(-Δ hg)"},
    {&B::capital, 0.0, false, DBL_MAX, "capital", "finite and >= 0", "K = (1 - Δ δ) K + Icore + G"},
    {&B::price, 0.0, true, DBL_MAX, "price", "finite and > 0", "P = 1 + π τ EF e 1e-4 - μ (r - r0)"},
    {&B::capacity, 0.0, true, DBL_MAX, "capacity", "finite and > 0", "Vcap = Vcap0 exp(lnA) (K/K0)^α"},
    {&B::pressure, 0.0, false, DBL_MAX, "demand_pressure", "finite and >= 0", "pressure = v Xd / Vcap"},
    {&B::va, 0.0, false, DBL_MAX, "va", "finite and >= 0", "V = min(v Xd, Vcap)"},
};

constexpr const char* kLoanInputs[] = {"new_loans", "maturity"};
constexpr const char* kShortInputs[] = {"monthly_growth_factor"};
constexpr const char* kAdoptionInputs[] = {"new_loans", "credit_reference", "innovation_p"};
constexpr const char* kUpgradeInputs[] = {"retrofit_push", "carbon_price", "energy_intensity"};
constexpr const char* kCapitalInputs[] = {"delta", "investment", "retrofit_spending"};
constexpr const char* kPriceInputs[] = {"pass_through", "carbon_price", "EF", "energy_intensity",
                                        "recycling_saving", "recycling_ratio", "recycling_start"};
constexpr const char* kCapacityInputs[] = {"capital", "K0", "alpha", "log_tfp"};
constexpr const char* kOutputInputs[] = {"v", "desired_gross_output", "capacity"};

bool within(double x, const Rule& r) { return (r.lo_open ? x > r.lo : x >= r.lo) && x <= r.hi; }

// Values of the block outside their variable's requirement, all nine
// variables in one branch-free pass: NaN fails both comparisons, +-inf one,
// and with the bounds compile-time constants the loop vectorises (AVX-512:
// ~0.1 ns a value, 3 to 4% of a month's step). Separate passes per variable
// cost 2.5 times as much, Eigen's NaN-propagating minCoeff/maxCoeff 6 times.
constexpr bool within_bits(double x, const Rule& r) { return (r.lo_open ? x > r.lo : x >= r.lo) & (x <= r.hi); }

template <std::size_t... V>
std::size_t count_outside(const BlockState& s, std::index_sequence<V...>) {
  const double* values[] = {(s.*kRules[V].state).data()...};
  const std::size_t n = static_cast<std::size_t>(s.sectors) * s.members;
  std::size_t outside = 0;
  for (std::size_t k = 0; k < n; ++k) outside += !(within_bits(values[V][k], kRules[V]) & ...);
  return outside;
}

void fill_inputs(GuardHit& hit, const BlockParams& p, const BlockState& s) {
  const int nb = p.members, m = hit.column;
  const std::size_t k = static_cast<std::size_t>(hit.sector) * nb + m;  // sector x member
  const std::size_t lever = static_cast<std::size_t>(hit.month) * nb + m;
  auto& in = hit.inputs;
  switch (hit.variable) {
    case GuardedVariable::long_term_loans:
      in = {s.new_loans[k], kMonth / (1.0 - p.loan_decay[m])};
      break;
    case GuardedVariable::short_term_loans:
      in = {p.short_term_factor[m]};
      break;
    case GuardedVariable::adoption:
      in = {s.new_loans[k], p.credit_ref[k], p.innovation_p[lever]};
      break;
    case GuardedVariable::upgrade_share:
      in = {p.retrofit_push[lever], p.carbon_price[lever], s.energy_intensity[k]};
      break;
    case GuardedVariable::capital:
      in = {p.delta[k], s.investment[k], s.retrofit[k]};
      break;
    case GuardedVariable::price:
      in = {p.pass_through[k], p.carbon_price[lever], p.EF[k], s.energy_intensity[k],
            p.recycling_saving[k], s.recycling[m], p.recycling_start[m]};
      break;
    case GuardedVariable::capacity:
      in = {s.capital[k], p.K0[k], p.alpha[k], s.log_tfp[k]};
      break;
    case GuardedVariable::demand_pressure:
    case GuardedVariable::va:
    case GuardedVariable::count:
      in = {p.v[k], s.demand_output[k], s.capacity[k]};
      break;
  }
}

}  // namespace

int check_month(int t, const BlockParams& p, const BlockState& s, std::vector<int>& failed_month,
                std::vector<GuardHit>& hits) {
  // A hit's inputs (fill_inputs) read month t's levers.
  if (t < 0 || t >= p.months)
    throw std::invalid_argument("check_month: month " + std::to_string(t) + " outside the block's " +
                                std::to_string(p.months) + " months");
  if (count_outside(s, std::make_index_sequence<kGuardedVariableCount>()) == 0) return 0;
  // Rare: find the members, variable by variable, sector by sector.
  int found = 0;
  const int nb = s.members;
  for (int v = 0; v < kGuardedVariableCount; ++v) {
    const Rule& rule = kRules[v];
    const Column& values = s.*rule.state;
    for (int i = 0; i < s.sectors; ++i)
      for (int m = 0; m < nb; ++m) {
        const double x = values[static_cast<std::size_t>(i) * nb + m];
        if (within(x, rule) || failed_month[m] >= 0) continue;
        failed_month[m] = t;
        GuardHit hit;
        hit.column = m;
        hit.month = t;
        hit.variable = static_cast<GuardedVariable>(v);
        hit.sector = i;
        hit.value = x;
        fill_inputs(hit, p, s);
        hits.push_back(hit);
        ++found;
      }
  }
  return found;
}

std::string_view guard_variable_name(GuardedVariable v) { return kRules[static_cast<int>(v)].name; }
std::string_view guard_requirement(GuardedVariable v) { return kRules[static_cast<int>(v)].requirement; }
std::string_view guard_equation(GuardedVariable v) { return kRules[static_cast<int>(v)].equation; }

GuardBounds guard_bounds(GuardedVariable v) { return {kRules[static_cast<int>(v)].lo, kRules[static_cast<int>(v)].hi}; }

std::span<const char* const> guard_inputs(GuardedVariable v) {
  switch (v) {
    case GuardedVariable::long_term_loans: return kLoanInputs;
    case GuardedVariable::short_term_loans: return kShortInputs;
    case GuardedVariable::adoption: return kAdoptionInputs;
    case GuardedVariable::upgrade_share: return kUpgradeInputs;
    case GuardedVariable::capital: return kCapitalInputs;
    case GuardedVariable::price: return kPriceInputs;
    case GuardedVariable::capacity: return kCapacityInputs;
    case GuardedVariable::demand_pressure:
    case GuardedVariable::va:
    case GuardedVariable::count: return kOutputInputs;
  }
  return {};
}

}  // namespace mfgsim
