#include "models/parameters.h"

#include <string_view>

namespace mfgsim {
namespace {

constexpr ParamRange closed(double lo, double hi) { return {lo, hi, false, false}; }
constexpr ParamRange open_low(double lo, double hi) { return {lo, hi, true, false}; }
constexpr ParamRange open_both(double lo, double hi) { return {lo, hi, true, true}; }

using G = GlobalParams;
constexpr GlobalParamInfo kGlobals[] = {
    {"lending.new_loans_base", &G::new_loans_base, "credit", "N0", "¥100m/month", 40.0, open_low(0, kInf),
     "new medium/long-term loans to all borrowing sectors in month 0"},
    {"lending.short_term_growth", &G::short_term_growth, "credit", "ℓs", "1/yr", 0.0, open_low(-1, 10),
     "annual growth of short-term loan stocks"},
    {"lending.maturity", &G::maturity, "credit", "T_m", "yr", 5.0, closed(1.0 / 12.0, 100),
     "average maturity of long-term loans (repaid at rate 1/T_m)"},
    {"lending.investment_pass", &G::investment_pass, "capital", "λ", "ratio", 0.5, closed(0, 1),
     "share of a new long-term loan that becomes investment"},
    {"lending.green_tilt", &G::green_tilt, "credit", "tilt", "ratio", 0.0, open_low(-1, 100),
     "green-credit preference: loan share weight grows by tilt per unit of upgrade share"},
    {"intelligent_manufacturing.credit_elasticity", &G::credit_elasticity, "adoption", "χ", "ratio", 0.5,
     closed(0, 10), "elasticity of the adoption hazard to new credit relative to its reference"},
    {"intelligent_manufacturing.imitation_q", &G::imitation_q, "adoption", "q", "1/yr", 0.3, closed(0, 50),
     "Bass imitation rate"},
    {"intelligent_manufacturing.demonstration_effect", &G::demonstration_effect, "adoption", "κ", "1/yr",
     1.0, closed(0, 1000), "adoption hazard per weighted demonstration enterprise per enterprise of the sector"},
    {"intelligent_manufacturing.national_weight", &G::national_weight, "adoption", "w_nat", "ratio", 5.0,
     closed(0, 1000), "weight of a national demonstration enterprise"},
    {"intelligent_manufacturing.provincial_weight", &G::provincial_weight, "adoption", "w_prov", "ratio", 1.0,
     closed(0, 1000), "weight of a provincial demonstration enterprise"},
    {"intelligent_manufacturing.firm_size_shape", &G::firm_size_shape, "adoption", "—", "ratio", 1.16,
     open_low(1, 20), "Pareto shape of firm sizes (firm mode only)"},
    {"low_carbon.carbon_response", &G::carbon_response, "low_carbon", "η", "1/yr", 1.0, closed(0, 1e4),
     "upgrade hazard per unit of carbon cost per unit of value added"},
    {"low_carbon.peer_effect", &G::peer_effect, "low_carbon", "q_g", "1/yr", 0.1, closed(0, 50),
     "upgrade hazard per unit of upgrade share (peer effect)"},
    {"low_carbon.retrofit_capex", &G::retrofit_capex, "low_carbon", "s_g", "ratio", 0.1, closed(0, 10),
     "retrofit spending per unit of capital upgraded"},
    {"low_carbon.recycling_start", &G::recycling_start, "recycling", "r0", "ratio", 0.7, closed(0, 1),
     "recycling ratio of waste in month 0"},
    {"low_carbon.recycling_speed", &G::recycling_speed, "recycling", "k_r", "1/yr", 0.5, closed(0, 12),
     "speed at which the recycling ratio approaches its target"},
    {"shocks.common_rho", &G::common_rho, "shocks", "ρ_F", "ratio", 0.6, open_both(-1, 1),
     "AR(1) persistence of the common monthly shock factor"},
    {"shocks.common_sigma", &G::common_sigma, "shocks", "σ_F", "ratio/month", 0.02, closed(0, 1),
     "standard deviation of the common factor's monthly innovation"},
};

using L = Levers;
constexpr LeverInfo kLevers[] = {
    {"lending.long_term_growth", &L::long_term_growth, "credit", "ℓ(t)", "1/yr", 0.0, open_low(-1, 10),
     "annual growth of new medium/long-term loans"},
    {"intelligent_manufacturing.innovation_p", &L::innovation_p, "adoption", "p(t)", "1/yr", 0.01,
     closed(0, 50), "Bass innovation rate of intelligent-manufacturing adoption"},
    {"low_carbon.carbon_price", &L::carbon_price, "low_carbon", "τ(t)", "¥/tCO2", 0.0, closed(0, 1e5),
     "carbon price"},
    {"low_carbon.retrofit_push", &L::retrofit_push, "low_carbon", "p_g(t)", "1/yr", 0.0, closed(0, 50),
     "policy push: autonomous upgrade hazard"},
    {"low_carbon.recycling_target", &L::recycling_target, "recycling", "r*(t)", "ratio", 0.8, closed(0, 1),
     "recycling ratio the province aims at"},
};

using S = SectorTable;
constexpr SectorFieldInfo kSectorFields[] = {
    {"industry", &S::industry, "output", "—", "flag", closed(0, 1), true, "counts in all industry (1) or not (0)"},
    {"manufacturing", &S::manufacturing, "output", "—", "flag", closed(0, 1), true, "counts in manufacturing (1) or not (0)"},
    {"V0", &S::V0, "output", "V0", "¥100m/month", open_low(0, kInf), false, "value added in month 0"},
    {"v", &S::v, "demand", "v", "ratio", open_low(0, 1), false, "value added per unit of gross output"},
    {"K0", &S::K0, "capital", "K0", "¥100m", open_low(0, kInf), false, "capital stock in month 0"},
    {"alpha", &S::alpha, "capacity", "α", "ratio", closed(0, 1), false, "output elasticity of capital"},
    {"delta", &S::delta, "capital", "δ", "1/yr", closed(0, 12), false, "depreciation rate"},
    {"iota", &S::iota, "capital", "ι", "ratio/month", closed(0, 100), false, "internally financed investment per unit of value added"},
    {"accelerator", &S::accelerator, "capital", "φ", "ratio", closed(0, 20), false, "elasticity of investment to demand pressure"},
    {"u0", &S::u0, "capacity", "u0", "ratio", open_low(0, 1), false, "capacity utilisation in month 0"},
    {"a0", &S::a0, "adoption", "a0", "ratio", closed(0, 1), false, "intelligent-manufacturing adoption share in month 0"},
    {"g0", &S::g0, "low_carbon", "g0", "ratio", closed(0, 1), false, "low-carbon upgrade share in month 0"},
    {"e0", &S::e0, "energy", "e0", "tce/¥10k", closed(0, 1000), false, "energy intensity in month 0"},
    {"EF", &S::EF, "energy", "EF", "tCO2/tce", closed(0, 100), false, "emission factor"},
    {"pass_through", &S::pass_through, "prices", "π", "ratio", closed(0, 1), false, "share of carbon cost passed into price"},
    {"price_elasticity", &S::price_elasticity, "demand", "ε", "ratio", closed(0, 20), false, "final-demand price elasticity"},
    {"recycling_saving", &S::recycling_saving, "prices", "μ", "ratio", closed(0, 10), false, "price cut per unit of recycling ratio above r0"},
    {"tfp_trend", &S::tfp_trend, "productivity", "γ", "1/yr", closed(-1, 1), false, "autonomous TFP growth"},
    {"demand_trend", &S::demand_trend, "demand", "γd", "1/yr", closed(-1, 1), false, "autonomous final-demand growth"},
    {"aeei", &S::aeei, "energy", "aeei", "1/yr", closed(-1, 1), false, "autonomous energy-efficiency improvement"},
    {"green_efficiency", &S::green_efficiency, "energy", "ψ", "ratio", closed(0, 1), false, "energy-intensity cut per unit of upgrade share"},
    {"tfp_gain", &S::tfp_gain, "productivity", "θ", "ratio", closed(0, 10), false, "log-TFP gain per unit of adoption share"},
    {"loan_weight", &S::loan_weight, "credit", "ω", "ratio", closed(0, kInf), false, "base share weight of new long-term loans (0: does not borrow)"},
    {"Lm0", &S::Lm0, "credit", "Lm0", "¥100m", closed(0, kInf), false, "medium/long-term loan stock in month 0"},
    {"Ls0", &S::Ls0, "credit", "Ls0", "¥100m", closed(0, kInf), false, "short-term loan stock in month 0"},
    {"firms", &S::firms, "adoption", "M", "count", closed(1, 1e7), true, "enterprises above designated size"},
    {"capital_goods_share", &S::capital_goods_share, "demand", "b", "ratio", closed(0, 1), false, "share of all investment demand served by this sector"},
    {"shock_rho", &S::shock_rho, "shocks", "ρ", "ratio", open_both(-1, 1), false, "AR(1) persistence of the sector shock"},
    {"shock_sigma", &S::shock_sigma, "shocks", "σ", "ratio/month", closed(0, 1), false, "standard deviation of the sector shock's innovation"},
    {"shock_beta", &S::shock_beta, "shocks", "β", "ratio", closed(-10, 10), false, "loading on the common factor"},
};

}  // namespace

std::span<const GlobalParamInfo> global_params() { return kGlobals; }
std::span<const LeverInfo> levers() { return kLevers; }
std::span<const SectorFieldInfo> sector_fields() { return kSectorFields; }

const GlobalParamInfo* find_global_param(std::string_view path) {
  for (const auto& p : kGlobals)
    if (path == p.path) return &p;
  return nullptr;
}
const LeverInfo* find_lever(std::string_view path) {
  for (const auto& p : kLevers)
    if (path == p.path) return &p;
  return nullptr;
}
const SectorFieldInfo* find_sector_field(std::string_view column) {
  for (const auto& p : kSectorFields)
    if (column == p.column) return &p;
  return nullptr;
}

}  // namespace mfgsim

namespace mfgsim {
ModelParams default_model_params() {
  ModelParams params;
  for (const auto& p : global_params()) params.global.*p.field = p.default_value;
  for (const auto& p : levers()) params.levers.*p.field = Schedule::constant_value(p.default_value);
  return params;
}
}  // namespace mfgsim
