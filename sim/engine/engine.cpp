#include "sim/engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>

#include "models/adoption.h"
#include "models/capacity.h"
#include "models/capital.h"
#include "models/credit.h"
#include "models/demand.h"
#include "models/energy.h"
#include "models/low_carbon.h"
#include "models/parameters.h"
#include "models/prices.h"
#include "models/productivity.h"
#include "models/recycling.h"
#include "models/shocks.h"
#include "models/trend.h"
#include "sim/core/normal_quantile.h"

namespace mfgsim {

bool EngineOptions::IsValid(std::string* error) const {
  if (block_size < 1 || block_size > 4096) {
    if (error) *error = "block_size must be in [1, 4096] (got " + std::to_string(block_size) + ")";
    return false;
  }
  return true;
}

CompileResult compile(RunSpec spec, EngineOptions options) {
  CompileResult result;
  std::string error;
  if (!options.IsValid(&error)) result.issues.push_back({error, -1, "", ""});
  if (spec.calendar.months < 1)
    result.issues.push_back({"the run needs at least one month", -1, "", "calendar.months"});
  if (spec.params.mode == AdoptionMode::firms)
    for (const UncertainParam& u : spec.uncertain)
      if (u.address.field != nullptr && std::string(u.address.field->column) == "firms")
        result.issues.push_back(
            {u.address.path + ": firm counts cannot be uncertain in firm mode", -1, "", "uncertain." + u.address.path});
  for (ModelIssue& issue : validate_model(spec.params, spec.calendar)) result.issues.push_back(std::move(issue));
  if (result.issues.empty()) result.run.reset(new CompiledRun(std::move(spec), options));
  return result;
}

CompiledRun::CompiledRun(RunSpec spec, EngineOptions options)
    : spec_(std::move(spec)),
      options_(options),
      sectors_(spec_.params.sectors.size()),
      months_(spec_.calendar.months),
      solver_(spec_.params.A),
      stream_(spec_.seed, kModelStreamKey) {
  base_.allocate(sectors_, 1, months_);
  // compile() has run validate_model, whose checks include lower's.
  [[maybe_unused]] const auto error = lower(spec_.params, base_, 0);
  assert(!error);
  // Cumulative demonstration designations by month (weights are applied per member).
  const int S = sectors_;
  base_.equipment_sector = spec_.params.equipment_sector;
  for (const Demonstration& d : spec_.params.demonstrations)
    for (int t = std::max(d.month, 0); t < months_; ++t) {
      base_.demo_national[t * S + d.sector] += d.national;
      base_.demo_provincial[t * S + d.sector] += d.provincial;
    }
}

Workspace CompiledRun::make_workspace() const {
  Workspace ws;
  const int stride = padded_members(options_.block_size);
  ws.params.allocate(sectors_, stride, months_);
  ws.params.equipment_sector = base_.equipment_sector;
  ws.params.demo_national = base_.demo_national;
  ws.params.demo_provincial = base_.demo_provincial;
  // Every column starts as the spec's parameters; a block's draws then
  // rewrite only the fields they move (lower_block).
  for (int m = 0; m < stride; ++m) ws.params.copy_member(base_, 0, m);
  if (options_.stochastic && !spec_.uncertain.empty()) ws.drawn = spec_.params;
  ws.state.allocate(sectors_, stride);
  ws.normals.assign(static_cast<size_t>(1 + sectors_) * stride, 0.0);
  if (spec_.params.trend_shocks) ws.trend_normals.assign(static_cast<size_t>(trend::normal_rows(sectors_)) * stride, 0.0);
  ws.uniforms.assign(std::max(ws.normals.size(), ws.trend_normals.size()), 0.5);
  if (spec_.params.mode == AdoptionMode::firms) ws.firms.allocate(spec_.params.sectors.firms, stride);
  ws.failed_month.assign(stride, -1);
  ws.guard_hits.reserve(stride);
  return ws;
}

void CompiledRun::lower_fields(const ModelParams& mp, const ParamAddress* address, BlockParams& out, int column) const {
  const SectorTable& st = mp.sectors;
  const GlobalParams& g = mp.global;
  const int S = sectors_, nb = out.members;
  // The parameters of models/fields.h as they are (only the addressed one
  // when `address` is set), and what follows from the globals alone.
  const bool all = address == nullptr;
#define MFGSIM_X(name, model, symbol, unit, range, integer, doc)        \
  if (all || (address->field && address->field->field == &SectorTable::name)) \
    for (int i = 0; i < S; ++i)                                          \
      if (all || i == address->sector) out.name[i * nb + column] = st.name[i];
  MFGSIM_SECTOR_FIELDS(MFGSIM_X)
#undef MFGSIM_X
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) \
  if (all || (address->global && address->global->field == &GlobalParams::name)) out.name[column] = g.name;
  MFGSIM_GLOBAL_PARAMS(MFGSIM_X)
#undef MFGSIM_X
  out.loan_decay[column] = 1.0 - kMonth / g.maturity;
  out.short_term_factor[column] = std::pow(1.0 + g.short_term_growth, kMonth);
}

void CompiledRun::lower_lever(const ModelParams& mp, const LeverInfo* lever, BlockParams& out, int column) const {
  const Levers& lv = mp.levers;
  const int nb = out.members;
  // One lever's months (every lever's when `lever` is null).
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) \
  if (lever == nullptr || lever->field == &Levers::name)                   \
    for (int t = 0; t < months_; ++t) out.name[t * nb + column] = lv.name.at(t);
  MFGSIM_LEVERS(MFGSIM_X)
#undef MFGSIM_X
  if (lever == nullptr || lever->field == &Levers::long_term_growth)
    for (int t = 0; t < months_; ++t)
      out.loan_growth_factor[t * nb + column] = std::pow(1.0 + lv.long_term_growth.at(t), kMonth);
}

std::optional<std::string> CompiledRun::lower_references(const ModelParams& mp, BlockParams& out, int column) const {
  const SectorTable& st = mp.sectors;
  const GlobalParams& g = mp.global;
  const Levers& lv = mp.levers;
  const int S = sectors_, nb = out.members;
  auto at = [&](Column& a, int i) -> double& { return a[i * nb + column]; };
  // Derived reference values of the initial state (MODEL.md).
  Eigen::VectorXd fbar;
  const std::vector<ModelIssue> issues = reference_final_demand(mp, &fbar);
  if (!issues.empty()) return issues.front().message;
  double weight_sum = 0.0;
  for (int i = 0; i < S; ++i) weight_sum += st.loan_weight[i];
  for (int i = 0; i < S; ++i) {
    const double wbar = st.loan_weight[i] / weight_sum;
    at(out.credit_ref, i) = wbar * g.new_loans_base;
    at(out.credit_ref_zero, i) = at(out.credit_ref, i) > 0.0 ? 0.0 : 1.0;
    at(out.capacity_ref, i) = st.V0[i] / st.u0[i];
    at(out.price_ref, i) =
        prices::price(st.pass_through[i], low_carbon::carbon_cost(lv.carbon_price.at(0), st.EF[i], st.e0[i]), 0.0, 0.0);
    at(out.final_demand_ref, i) = fbar[i];
    at(out.inv_u0, i) = 1.0 / st.u0[i];
    at(out.inv_K0, i) = 1.0 / st.K0[i];
    at(out.inv_v, i) = 1.0 / st.v[i];
    at(out.inv_firms, i) = 1.0 / st.firms[i];
    at(out.inv_price_ref, i) = 1.0 / at(out.price_ref, i);
    at(out.inv_credit_ref, i) = 1.0 / (at(out.credit_ref, i) + at(out.credit_ref_zero, i));
  }
  return std::nullopt;
}

std::optional<std::string> CompiledRun::lower(const ModelParams& mp, BlockParams& out, int column) const {
  lower_fields(mp, nullptr, out, column);
  lower_lever(mp, nullptr, out, column);
  return lower_references(mp, out, column);
}

std::optional<std::string> CompiledRun::lower_drawn(const ModelParams& mp, BlockParams& out, int column) const {
  // What draws can move: a global or sector field moves the fields and the
  // month-0 references; a lever its months, and the references only through
  // carbon_price (the month-0 price).
  bool references = false;
  for (const UncertainParam& u : spec_.uncertain) {
    if (u.address.lever != nullptr) {
      lower_lever(mp, u.address.lever, out, column);
      references = references || u.address.lever->field == &Levers::carbon_price;
    } else {
      lower_fields(mp, &u.address, out, column);
      references = true;
    }
  }
  if (references) return lower_references(mp, out, column);
  return std::nullopt;
}

std::optional<std::string> CompiledRun::lower_block(std::int64_t first, int count, Workspace& ws) const {
  const int nb = ws.params.members;
  const auto& uncertain = spec_.uncertain;
  // Without draws every column already holds the spec's parameters (make_workspace).
  if (!options_.stochastic || uncertain.empty()) return std::nullopt;
  for (int m = 0; m < count; ++m) {
    const std::int64_t member = first + m;
    // ws.drawn differs from the spec only in the drawn values, which every member overwrites.
    for (size_t k = 0; k < uncertain.size(); ++k) {
      const UncertainParam& u = uncertain[k];
      const double x = draw_uncertain(member, k);
      if (!u.address.range().contains(x) || !std::isfinite(x))
        return "member " + std::to_string(member) + ": uncertain parameter " + u.address.path + " drew " +
               std::to_string(x) + ", outside its valid range; give the distribution `bounds`";
      set_param(ws.drawn, u.address, x);
    }
    if (auto error = lower_drawn(ws.drawn, ws.params, m)) return "member " + std::to_string(member) + ": " + *error;
  }
  // Spare columns of a short last block repeat its first member.
  for (int m = count; m < nb; ++m) ws.params.copy_member(ws.params, 0, m);
  return std::nullopt;
}

std::optional<std::string> CompiledRun::lower_member(std::int64_t member, BlockParams& out, int column) const {
  ModelParams drawn = spec_.params;
  if (options_.stochastic)
    for (std::size_t k = 0; k < spec_.uncertain.size(); ++k)
      set_param(drawn, spec_.uncertain[k].address, draw_uncertain(member, k));
  return lower(drawn, out, column);
}

double CompiledRun::draw_uncertain(std::int64_t member, std::size_t k) const {
  double uniforms[4];
  stream_.uniforms(static_cast<std::uint64_t>(member), k, StreamPurpose::parameters, 0, uniforms);
  // u01 is in (0, 1]; the quantile needs (0, 1).
  return spec_.uncertain[k].quantile(std::min(uniforms[0], 1.0 - 0x1p-53));
}

void CompiledRun::initialise(Workspace& ws, std::int64_t first) const {
  const BlockParams& p = ws.params;
  BlockState& s = ws.state;
  const int n = p.sectors * p.members;
  for (int k = 0; k < n; ++k) {
    s.z[k] = 0.0;
    s.trend_level[k] = 0.0;
    s.trend_drift[k] = 0.0;
    s.adoption[k] = p.a0[k];
    s.upgrade[k] = p.g0[k];
    s.log_tfp[k] = 0.0;
    s.capital[k] = p.K0[k];
    s.energy_intensity[k] = p.e0[k];
    s.long_term_loans[k] = p.Lm0[k];
    s.short_term_loans[k] = p.Ls0[k];
    s.va_prev[k] = p.V0[k];
    s.pressure[k] = p.u0[k];
  }
  for (int m = 0; m < p.members; ++m) {
    s.common_factor[m] = 0.0;
    s.recycling[m] = p.recycling_start[m];
    s.new_loans_prev[m] = p.new_loans_base[m] / p.loan_growth_factor[m];
  }
  if (spec_.params.mode == AdoptionMode::firms) {
    std::vector<double> a0(p.sectors), share0(p.sectors);
    for (int m = 0; m < p.members; ++m) {
      for (int i = 0; i < p.sectors; ++i) a0[i] = p.a0[i * p.members + m];
      firms::initialise_member(ws.firms, m, static_cast<std::uint64_t>(first + m), stream_, p.firm_size_shape[m],
                               a0.data(), share0.data());
      for (int i = 0; i < p.sectors; ++i) s.adoption[i * p.members + m] = share0[i];
    }
  }
}

namespace {

// Step 4's hazard for member m in sector i, with the run's reciprocals.
inline double adoption_hazard(const BlockParams& p, const BlockState& s, int t, int i, int m) {
  const int nb = p.members, k = i * nb + m;
  const double demonstration_term = p.demonstration_effect[m] * adoption::demonstrations(p, t, i, m) * p.inv_firms[k];
  return adoption::hazard(p.innovation_p[t * nb + m], p.imitation_q[m], s.adoption[k], demonstration_term,
                          p.credit_elasticity[m], s.new_loans[k], p.credit_ref_zero[k], p.inv_credit_ref[k]);
}

// Steps 2 (sector shocks), 4-8 and 10-12 and the own part of 13 for every
// sector: one pass per sector over the block's members, in six short member
// loops (the model headers give each equation for one member, or for one
// vector of L's lanes: L is double, or vector_math::Vec when the block's
// stride is a multiple of its lanes, with the same IEEE operations lane by
// lane). Accumulates Σ_i Icore_i and Σ_i G_i per member for step 13. In firm
// mode s.adoption_new holds step 4's shares already. The rows are taken as
// restrict pointers first, and every call is inlined (flatten), so that the
// loops stay in registers (and, for L = double, vectorise).
template <class L>
L* lanes(Column& a, std::size_t at) {
  return reinterpret_cast<L*>(a.data() + at);
}
template <class L>
const L* lanes(const Column& a, std::size_t at) {
  return reinterpret_cast<const L*>(a.data() + at);
}
template <class L>
inline constexpr int kLanesOf = 1;
#if defined(MFGSIM_VECTOR_MATH_VEC)
template <>
inline constexpr int kLanesOf<vector_math::Vec> = vector_math::kLanes;
#endif

template <bool kStochastic, bool kFirms, class L>
[[gnu::flatten]] void sector_pass(const BlockParams& p, BlockState& s, const double* normals_data, int t) {
  const int nv = p.members / kLanesOf<L>;
  const std::size_t nb = static_cast<std::size_t>(p.members);
  const double years = static_cast<double>(t) * kMonth;
  L* __restrict investment_total = lanes<L>(s.investment_total, 0);
  L* __restrict retrofit_total = lanes<L>(s.retrofit_total, 0);
  const L zero = vector_math::splat<L>(0.0);
#pragma GCC ivdep
  for (int m = 0; m < nv; ++m) {
    investment_total[m] = zero;
    retrofit_total[m] = zero;
  }
  // Member scalars and this month's levers.
#define MFGSIM_MEMBER(block, name) const L* __restrict name = lanes<L>(block.name, 0)
#define MFGSIM_LEVER(name) const L* __restrict name = lanes<L>(p.name, static_cast<std::size_t>(t) * nb)
  MFGSIM_MEMBER(s, common_factor); MFGSIM_MEMBER(s, recycling); MFGSIM_MEMBER(p, recycling_start);
  MFGSIM_MEMBER(p, demonstration_effect); MFGSIM_MEMBER(p, national_weight); MFGSIM_MEMBER(p, provincial_weight);
  MFGSIM_MEMBER(p, imitation_q); MFGSIM_MEMBER(p, credit_elasticity); MFGSIM_MEMBER(p, carbon_response);
  MFGSIM_MEMBER(p, peer_effect); MFGSIM_MEMBER(p, retrofit_capex); MFGSIM_MEMBER(p, investment_pass);
  MFGSIM_LEVER(innovation_p); MFGSIM_LEVER(carbon_price); MFGSIM_LEVER(retrofit_push);
  MFGSIM_LEVER(demand_shock);
#undef MFGSIM_MEMBER
#undef MFGSIM_LEVER
  for (int i = 0; i < p.sectors; ++i) {
    const std::size_t demo = static_cast<std::size_t>(t) * p.sectors + i;
    const double national = p.demo_national[demo], provincial = p.demo_provincial[demo];
    const L designated = vector_math::splat<L>(national + provincial);
    const std::size_t at = static_cast<std::size_t>(i) * nb;
#define MFGSIM_ROW(block, name) L* __restrict name = lanes<L>(block.name, at)
#define MFGSIM_PARAM(name) const L* __restrict name = lanes<L>(p.name, at)
    MFGSIM_ROW(s, z); MFGSIM_ROW(s, adoption); MFGSIM_ROW(s, upgrade); MFGSIM_ROW(s, capital);
    MFGSIM_ROW(s, energy_intensity); MFGSIM_ROW(s, log_tfp); MFGSIM_ROW(s, retrofit); MFGSIM_ROW(s, investment);
    MFGSIM_ROW(s, price); MFGSIM_ROW(s, capacity); MFGSIM_ROW(s, final_demand); MFGSIM_ROW(s, adopted_firms);
    MFGSIM_ROW(s, demonstration_firms); MFGSIM_ROW(s, trend_level);
    const L* __restrict new_loans = lanes<L>(s.new_loans, at);
    const L* __restrict va_prev = lanes<L>(s.va_prev, at);
    const L* __restrict pressure = lanes<L>(s.pressure, at);
    const L* __restrict shock = reinterpret_cast<const L*>(normals_data + at + nb);
    MFGSIM_PARAM(shock_rho); MFGSIM_PARAM(shock_beta); MFGSIM_PARAM(shock_sigma); MFGSIM_PARAM(inv_firms);
    MFGSIM_PARAM(credit_ref_zero); MFGSIM_PARAM(inv_credit_ref); MFGSIM_PARAM(firms); MFGSIM_PARAM(EF);
    MFGSIM_PARAM(iota); MFGSIM_PARAM(accelerator); MFGSIM_PARAM(inv_u0); MFGSIM_PARAM(delta);
    MFGSIM_PARAM(tfp_trend); MFGSIM_PARAM(tfp_gain); MFGSIM_PARAM(aeei); MFGSIM_PARAM(green_efficiency);
    MFGSIM_PARAM(pass_through); MFGSIM_PARAM(recycling_saving); MFGSIM_PARAM(capacity_ref); MFGSIM_PARAM(alpha);
    MFGSIM_PARAM(inv_K0); MFGSIM_PARAM(final_demand_ref); MFGSIM_PARAM(demand_trend);
    MFGSIM_PARAM(price_elasticity); MFGSIM_PARAM(inv_price_ref);
#undef MFGSIM_ROW
#undef MFGSIM_PARAM
    // Six member loops, not one fused loop, and no exp waits in the same
    // loop for a log: the out-of-order core overlaps many vectors' short
    // chains but not several long ones (one fused body of ~700 instructions,
    // or a log feeding an exp in each loop, kept a few vectors' latency
    // chains in flight: 1.1-1.5x slower). The logs go first, their exponents
    // held in rows the exps' loops then overwrite (hazard, investment,
    // capacity, final_demand); the rows stay in L1. In aggregate mode
    // adoption_new carries step 4's hazard from the first loops to the third.
    L* __restrict hazard = lanes<L>(s.adoption_new, at);
    // 2., and the logs of 4. (credit factor) and 6. (investment).
#pragma GCC ivdep
    for (int m = 0; m < nv; ++m) {
      if constexpr (kStochastic)
        z[m] = shocks::ar1(shock_rho[m], z[m], shock_beta[m] * common_factor[m], shock_sigma[m], shock[m]);
      if constexpr (!kFirms)
        hazard[m] = adoption::credit_exponent(credit_elasticity[m], new_loans[m], credit_ref_zero[m], inv_credit_ref[m]);
      investment[m] = capital::core_exponent(z[m], accelerator[m], pressure[m], inv_u0[m]);
    }
    // 4.: the adoption hazard.
    if constexpr (!kFirms) {
#pragma GCC ivdep
      for (int m = 0; m < nv; ++m) {
        const L demonstration_term =
            demonstration_effect[m] * (national_weight[m] * national + provincial_weight[m] * provincial) * inv_firms[m];
        hazard[m] =
            adoption::hazard_from_exponent(innovation_p[m], imitation_q[m], adoption[m], demonstration_term, hazard[m]);
      }
    }
    // 4., 5., 7., 8. and 11.: shares, productivity, energy intensity, prices.
#pragma GCC ivdep
    for (int m = 0; m < nv; ++m) {
      const L a = adoption[m];
      L a_new;
      if constexpr (kFirms) {
        a_new = hazard[m];  // firm mode: the share already
      } else {
        a_new = share_after_hazard(a, hazard[m]);
        adopted_firms[m] = a_new * firms[m];
        demonstration_firms[m] = designated;
      }
      log_tfp[m] = productivity::log_tfp_after(log_tfp[m], tfp_trend[m], tfp_gain[m], a_new, a);
      adoption[m] = a_new;  // 10. commit shares
      const L g = upgrade[m], intensity = energy_intensity[m];
      const L cost = low_carbon::carbon_cost(carbon_price[m], EF[m], intensity);
      const L g_new =
          share_after_hazard(g, low_carbon::hazard(retrofit_push[m], carbon_response[m], cost, peer_effect[m], g));
      const L spending = retrofit_capex[m] * (g_new - g) * capital[m];
      const L intensity_new = energy::intensity_after(intensity, aeei[m], green_efficiency[m], g_new, g);
      price[m] = prices::price(pass_through[m], low_carbon::carbon_cost(carbon_price[m], EF[m], intensity_new),
                               recycling_saving[m], recycling[m] - recycling_start[m]);
      retrofit_total[m] += spending;
      upgrade[m] = g_new;  // 10.
      retrofit[m] = spending;
      energy_intensity[m] = intensity_new;
    }
    // 6.: investment, capital.
#pragma GCC ivdep
    for (int m = 0; m < nv; ++m) {
      const L core =
          capital::core_investment_from_exponent(iota[m], va_prev[m], investment[m], investment_pass[m], new_loans[m]);
      investment_total[m] += core;
      investment[m] = core;
      capital[m] = capital::capital_after(delta[m], capital[m], core, retrofit[m]);
    }
    // The logs of 12. (capacity) and 13. (this sector's own final demand)...
#pragma GCC ivdep
    for (int m = 0; m < nv; ++m) {
      capacity[m] = capacity::capacity_exponent(log_tfp[m], alpha[m], capital[m], inv_K0[m]);
      final_demand[m] = demand::own_final_demand_exponent(demand_trend[m], years, z[m], trend_level[m] + demand_shock[m],
                                                          price_elasticity[m], price[m], inv_price_ref[m]);
    }
    // ... and their exps.
#pragma GCC ivdep
    for (int m = 0; m < nv; ++m) {
      capacity[m] = capacity::capacity_from_exponent(capacity_ref[m], capacity[m]);
      final_demand[m] = demand::own_final_demand_from_exponent(final_demand_ref[m], final_demand[m]);
    }
  }
}

// Steps 14 and 15 for sector i, from its row of s.demand_output.
template <class L>
[[gnu::flatten]] void output_row(const BlockParams& p, BlockState& s, int i) {
  const int nv = p.members / kLanesOf<L>;
  const std::size_t at = static_cast<std::size_t>(i) * p.members;
#define MFGSIM_ROW(block, name) L* __restrict name = lanes<L>(block.name, at)
#define MFGSIM_PARAM(name) const L* __restrict name = lanes<L>(p.name, at)
  MFGSIM_ROW(s, va); MFGSIM_ROW(s, gross_output); MFGSIM_ROW(s, utilisation); MFGSIM_ROW(s, pressure);
  MFGSIM_ROW(s, va_prev); MFGSIM_ROW(s, energy); MFGSIM_ROW(s, co2);
  MFGSIM_PARAM(v); MFGSIM_PARAM(inv_v); MFGSIM_PARAM(EF);
#undef MFGSIM_ROW
#undef MFGSIM_PARAM
  const L* __restrict demand_output = lanes<L>(s.demand_output, at);
  const L* __restrict capacity = lanes<L>(s.capacity, at);
  const L* __restrict intensity = lanes<L>(s.energy_intensity, at);
#pragma GCC ivdep
  for (int m = 0; m < nv; ++m) {
    const capacity::Output<L> out = capacity::output(v[m], inv_v[m], demand_output[m], capacity[m]);
    va[m] = out.va;
    gross_output[m] = out.gross_output;
    utilisation[m] = out.utilisation;
    pressure[m] = out.pressure;
    va_prev[m] = out.va;
    energy[m] = energy::energy_use(intensity[m], out.va);
    co2[m] = EF[m] * energy[m];
  }
}

// Steps 2, 4-8, 10-13 (sector_pass) with the block's widest lanes.
template <bool kStochastic, bool kFirms>
void sector_pass_lanes(const BlockParams& p, BlockState& s, const double* normals, int t) {
#if defined(MFGSIM_VECTOR_MATH_VEC)
  if (p.members % vector_math::kLanes == 0) return sector_pass<kStochastic, kFirms, vector_math::Vec>(p, s, normals, t);
#endif
  sector_pass<kStochastic, kFirms, double>(p, s, normals, t);
}

void output_row_lanes(const BlockParams& p, BlockState& s, int i) {
#if defined(MFGSIM_VECTOR_MATH_VEC)
  if (p.members % vector_math::kLanes == 0) return output_row<vector_math::Vec>(p, s, i);
#endif
  output_row<double>(p, s, i);
}

}  // namespace

void CompiledRun::step_month(int t, std::int64_t first, Workspace& ws) const {
  const BlockParams& p = ws.params;
  BlockState& s = ws.state;
  const int nb = p.members;
  // 1. Levers: pre-evaluated per month in BlockParams.
  // 2. Shocks: the common factor here, the sector shocks in the sector pass.
  const bool stochastic = options_.stochastic;
  if (stochastic) {
    draw_normals(t, first, StreamPurpose::shocks, 1 + p.sectors, ws, ws.normals);
    double* __restrict factor = s.common_factor.data();
    const double* __restrict rho = p.common_rho.data();
    const double* __restrict sigma = p.common_sigma.data();
    const double* __restrict normal = ws.normals.data();
#pragma GCC ivdep
    for (int m = 0; m < nb; ++m) factor[m] = shocks::ar1(rho[m], factor[m], 0.0, sigma[m], normal[m]);
    // The persistent trend: its own stream purpose, so the shocks above are
    // the same numbers with or without it; its level enters step 13.
    if (spec_.params.trend_shocks) {
      draw_normals(t, first, StreamPurpose::trend, trend::normal_rows(p.sectors), ws, ws.trend_normals);
      trend::step(p, s, ws.trend_normals);
    }
  }
  credit::step(p, s, t);     // 3.
  recycling::step(p, s, t);  // 9. (province-wide; no sector reads it before step 11)
  const bool firm_mode = spec_.params.mode == AdoptionMode::firms;
  if (firm_mode)
    for (int i = 0; i < p.sectors; ++i) firm_adoption(t, i, first, ws);  // 4. (firm mode)
  // Steps 4-8 and 10-13 sector by sector: each reads only its own sector's
  // row and the member-wide values computed above.
  const double* normals = ws.normals.data();
  if (stochastic) {
    if (firm_mode) sector_pass_lanes<true, true>(p, s, normals, t);
    else sector_pass_lanes<true, false>(p, s, normals, t);
  } else {
    if (firm_mode) sector_pass_lanes<false, true>(p, s, normals, t);
    else sector_pass_lanes<false, false>(p, s, normals, t);
  }
  // 13. Final demand, then per sector the input-output solve and 14., 15.
  for (int i = 0; i < p.sectors; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * nb;
    const bool equipment = i == p.equipment_sector;
    double* __restrict final_demand = s.final_demand.data() + at;
    const double* __restrict share = p.capital_goods_share.data() + at;
    const double* __restrict investment_total = s.investment_total.data();
    const double* __restrict retrofit_total = s.retrofit_total.data();
#pragma GCC ivdep
    for (int m = 0; m < nb; ++m)
      final_demand[m] =
          demand::final_demand_total(final_demand[m], share[m], investment_total[m], retrofit_total[m], equipment);
  }
  for (int i = 0; i < p.sectors; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * nb;
    solver_.solve_row(i, s.final_demand.data(), s.demand_output.data() + at, nb);
    output_row_lanes(p, s, i);
  }
}

void CompiledRun::draw_normals(int t, std::int64_t first, StreamPurpose purpose, int rows, Workspace& ws,
                               Column& normals) const {
  // Uniforms for `rows` rows from each member's stream, four per Philox
  // call, the calls of kPhiloxBatch members interleaved (the same words as
  // stream_.words), then the normal quantile on the whole block at once.
  const int nb = ws.params.members;
  stream_.uniform_rows(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(t), purpose, rows, nb, nb,
                       ws.uniforms.data());
  normal_quantiles(ws.uniforms.data(), normals.data(), rows * nb);
}

void CompiledRun::firm_adoption(int t, int i, std::int64_t first, Workspace& ws) const {
  const BlockParams& p = ws.params;
  BlockState& s = ws.state;
  const int nb = p.members;
  double* h = s.adoption_new.data() + static_cast<std::size_t>(i) * nb;
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) h[m] = adoption_hazard(p, s, t, i, m);
  // Designations this month: the change of the (rounded) cumulative count;
  // month 0 also takes every designation dated before the run.
  const std::size_t now = static_cast<std::size_t>(t) * p.sectors + i;
  const std::int64_t total = std::llround(p.demo_national[now] + p.demo_provincial[now]);
  const std::int64_t before =
      t == 0 ? 0 : std::llround(p.demo_national[now - p.sectors] + p.demo_provincial[now - p.sectors]);
#pragma GCC ivdep
  for (int m = 0; m < nb; ++m) {
    double adopted = 0.0;
    h[m] = firms::step(ws.firms, m, i, static_cast<std::uint64_t>(first + m), t, stream_, total - before, h[m],
                       &adopted, spec_.params.designation);
    s.adopted_firms[i * nb + m] = adopted;
    s.demonstration_firms[i * nb + m] =
        static_cast<double>(ws.firms.designated[static_cast<std::size_t>(i) * ws.firms.members + m]);
  }
}

std::optional<std::string> CompiledRun::run_block(std::int64_t first, int count, Workspace& ws,
                                             MonthObserver& observer) const {
  if (auto error = lower_block(first, count, ws)) return error;
  initialise(ws, first);
  std::fill(ws.failed_month.begin(), ws.failed_month.end(), -1);
  ws.guard_hits.clear();
  for (int t = 0; t < months_; ++t) {
    step_month(t, first, ws);
    check_month(t, ws);
    observer.record(t, ws.params, ws.state, first, count);
  }
  return std::nullopt;
}

int CompiledRun::check_month(int t, Workspace& ws) const {
  return mfgsim::check_month(t, ws.params, ws.state, ws.failed_month, ws.guard_hits);
}

std::string CompiledRun::failure_message(const GuardHit& hit, std::int64_t member) const {
  auto number = [](double x) { return std::isnan(x) ? std::string("NaN") : fmt::format("{:.6g}", x); };
  // The failing value in full (17 digits) when six would not tell it from
  // a bound it is compared with: 1.0000000000000009, not "1".
  const auto [lo, hi] = guard_bounds(hit.variable);
  auto near = [](double x, double bound) { return std::fabs(x - bound) <= 1e-6 * std::max(1.0, std::fabs(bound)); };
  const std::string value =
      near(hit.value, lo) || near(hit.value, hi) ? fmt::format("{:.17g}", hit.value) : number(hit.value);
  const std::string month = format_year_month(spec_.calendar.at(hit.month));
  std::string out = fmt::format("member {}: {} of {} is {} in {}, must be {} ({} with", member,
                                guard_variable_name(hit.variable), spec_.params.sectors.names[hit.sector],
                                value, month, guard_requirement(hit.variable),
                                guard_equation(hit.variable));
  const auto inputs = guard_inputs(hit.variable);
  for (std::size_t k = 0; k < inputs.size(); ++k)
    out += fmt::format("{} {} = {}", k ? "," : "", inputs[k], number(hit.inputs[k]));
  out += ")";
  // The member's own values: its `uncertain` draws, and the levers (which
  // the draws may have moved) that month.
  ModelParams params = spec_.params;
  const auto& uncertain = spec_.uncertain;
  if (options_.stochastic && !uncertain.empty()) {
    out += "; drawn:";
    for (std::size_t k = 0; k < uncertain.size(); ++k) {
      const double x = draw_uncertain(member, k);
      set_param(params, uncertain[k].address, x);
      out += fmt::format("{} {} = {}", k ? "," : "", uncertain[k].address.path, number(x));
    }
  }
  out += "; levers in " + month + ":";
  bool first_lever = true;
  for (const LeverInfo& lever : levers()) {
    out += fmt::format("{} {} = {}", first_lever ? "" : ",", lever.path, number((params.levers.*lever.field).at(hit.month)));
    first_lever = false;
  }
  return out;
}

}  // namespace mfgsim
