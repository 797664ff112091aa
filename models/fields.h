// The one list of the model's parameters. Each X-macro row is a parameter:
// its name (the C++ field in models/model_params.h and models/block.h),
// scenario path or data column, sub-model, MODEL.md symbol, unit, default,
// valid range and documentation. Everything else is generated from these
// rows: the parameter structs, the per-member block arrays and their
// lowering (sim/engine/engine.cpp), the schema, `mfgsim schema`, range
// checks and parameter paths (models/parameters.cpp). Adding a parameter is
// one row here plus its use in a step function.
//
// Ranges are written with closed(lo, hi), open_low(lo, hi) (lo excluded) and
// open_both(lo, hi); kInf for an unbounded end.
#pragma once

// X(name, path, model, symbol, unit, default, range, doc): scalar globals.
#define MFGSIM_GLOBAL_PARAMS(X) \
  X(new_loans_base, "lending.new_loans_base", "credit", "N0", "¥100m/month", 40.0, open_low(0, kInf), \
    "new medium/long-term loans to all borrowing sectors in month 0") \
  X(short_term_growth, "lending.short_term_growth", "credit", "ℓs", "1/yr", 0.0, open_low(-1, 10), \
    "annual growth of short-term loan stocks") \
  X(maturity, "lending.maturity", "credit", "T_m", "yr", 5.0, closed(1.0 / 12.0, 100), \
    "average maturity of long-term loans (repaid at rate 1/T_m)") \
  X(investment_pass, "lending.investment_pass", "capital", "λ", "ratio", 0.5, closed(0, 1), \
    "share of a new long-term loan that becomes investment") \
  X(green_tilt, "lending.green_tilt", "credit", "tilt", "ratio", 0.0, open_low(-1, 100), \
    "green-credit preference: loan share weight grows by tilt per unit of upgrade share") \
  X(credit_elasticity, "intelligent_manufacturing.credit_elasticity", "adoption", "χ", "ratio", 0.5, closed(0, 10), \
    "elasticity of the adoption hazard to new credit relative to its reference") \
  X(imitation_q, "intelligent_manufacturing.imitation_q", "adoption", "q", "1/yr", 0.3, closed(0, 50), \
    "Bass imitation rate") \
  X(demonstration_effect, "intelligent_manufacturing.demonstration_effect", "adoption", "κ", "1/yr", 1.0, closed(0, 1000), \
    "adoption hazard per weighted demonstration enterprise per enterprise of the sector") \
  X(national_weight, "intelligent_manufacturing.national_weight", "adoption", "w_nat", "ratio", 5.0, closed(0, 1000), \
    "weight of a national demonstration enterprise") \
  X(provincial_weight, "intelligent_manufacturing.provincial_weight", "adoption", "w_prov", "ratio", 1.0, closed(0, 1000), \
    "weight of a provincial demonstration enterprise") \
  X(firm_size_shape, "intelligent_manufacturing.firm_size_shape", "adoption", "—", "ratio", 1.16, open_low(1, 20), \
    "Pareto shape of firm sizes (firm mode only)") \
  X(carbon_response, "low_carbon.carbon_response", "low_carbon", "η", "1/yr", 1.0, closed(0, 1e4), \
    "upgrade hazard per unit of carbon cost per unit of value added") \
  X(peer_effect, "low_carbon.peer_effect", "low_carbon", "q_g", "1/yr", 0.1, closed(0, 50), \
    "upgrade hazard per unit of upgrade share (peer effect)") \
  X(retrofit_capex, "low_carbon.retrofit_capex", "low_carbon", "s_g", "ratio", 0.1, closed(0, 10), \
    "retrofit spending per unit of capital upgraded") \
  X(recycling_start, "low_carbon.recycling_start", "recycling", "r0", "ratio", 0.7, closed(0, 1), \
    "recycling ratio of waste in month 0") \
  X(recycling_speed, "low_carbon.recycling_speed", "recycling", "k_r", "1/yr", 0.5, closed(0, 12), \
    "speed at which the recycling ratio approaches its target") \
  X(common_rho, "shocks.common_rho", "shocks", "ρ_F", "ratio", 0.6, open_both(-1, 1), \
    "AR(1) persistence of the common monthly shock factor") \
  X(common_sigma, "shocks.common_sigma", "shocks", "σ_F", "ratio/month", 0.02, closed(0, 1), \
    "standard deviation of the common factor's monthly innovation") \
  X(trend_drift_sigma, "trend_shocks.drift_sigma", "trend", "σ_d", "ratio/month²", 0.0025, closed(0, 0.1), \
    "standard deviation of the monthly innovation of each sector's demand drift d_i (only with a `trend_shocks:` block)") \
  X(trend_drift_persistence, "trend_shocks.drift_persistence", "trend", "φ_d", "ratio", 0.95, closed(0, 1), \
    "persistence of the drift per month: 1 a random walk, below 1 a damped trend (half-life ln 0.5 / ln φ_d months)") \
  X(trend_common_loading, "trend_shocks.common_loading", "trend", "β_d", "ratio", 0.8, closed(0, 1), \
    "loading of the drift innovations on the common drift shock (correlation across sectors β_d²)") \
  X(trend_level_sigma, "trend_shocks.level_sigma", "trend", "σ_μ", "ratio/month", 0.005, closed(0, 1), \
    "standard deviation of the monthly innovation of each sector's trend level μ_i")

// X(name, path, model, symbol, unit, default, range, doc): levers, schedules
// over months (the default is a constant; the range holds every value).
#define MFGSIM_LEVERS(X) \
  X(long_term_growth, "lending.long_term_growth", "credit", "ℓ(t)", "1/yr", 0.0, open_low(-1, 10), \
    "annual growth of new medium/long-term loans") \
  X(innovation_p, "intelligent_manufacturing.innovation_p", "adoption", "p(t)", "1/yr", 0.01, closed(0, 50), \
    "Bass innovation rate of intelligent-manufacturing adoption") \
  X(carbon_price, "low_carbon.carbon_price", "low_carbon", "τ(t)", "¥/tCO2", 0.0, closed(0, 1e5), "carbon price") \
  X(retrofit_push, "low_carbon.retrofit_push", "low_carbon", "p_g(t)", "1/yr", 0.0, closed(0, 50), \
    "policy push: autonomous upgrade hazard") \
  X(recycling_target, "low_carbon.recycling_target", "recycling", "r*(t)", "ratio", 0.8, closed(0, 1), \
    "recycling ratio the province aims at") \
  X(demand_shock, "shocks.final_demand", "demand", "s(t)", "log", 0.0, closed(-2, 2), \
    "exogenous log deviation of every sector's own final demand, in every run (a dated slump such as " \
    "2020's; MODEL.md \"Demand shocks\"); 0: none")

// X(name, model, symbol, unit, range, integer, doc): columns of
// data/sectors.csv (keys under sector_overrides.<sector>) that only the
// aggregation reads: flags, not in the month loop.
#define MFGSIM_SECTOR_FLAGS(X) \
  X(industry, "output", "—", "flag", closed(0, 1), true, "counts in all industry (1) or not (0)") \
  X(manufacturing, "output", "—", "flag", closed(0, 1), true, "counts in manufacturing (1) or not (0)")

// X(name, model, symbol, unit, range, integer, doc): the columns the month
// loop reads, one value per sector (integer: must be a whole number).
#define MFGSIM_SECTOR_FIELDS(X) \
  X(V0, "output", "V0", "¥100m/month", open_low(0, kInf), false, "value added in month 0") \
  X(v, "demand", "v", "ratio", open_low(0, 1), false, "value added per unit of gross output") \
  X(K0, "capital", "K0", "¥100m", open_low(0, kInf), false, "capital stock in month 0") \
  X(alpha, "capacity", "α", "ratio", closed(0, 1), false, "output elasticity of capital") \
  X(delta, "capital", "δ", "1/yr", closed(0, 12), false, "depreciation rate") \
  X(iota, "capital", "ι", "ratio/month", closed(0, 100), false, \
    "internally financed investment per unit of value added") \
  X(accelerator, "capital", "φ", "ratio", closed(0, 20), false, "elasticity of investment to demand pressure") \
  X(u0, "capacity", "u0", "ratio", open_low(0, 1), false, "capacity utilisation in month 0") \
  X(a0, "adoption", "a0", "ratio", closed(0, 1), false, "intelligent-manufacturing adoption share in month 0") \
  X(g0, "low_carbon", "g0", "ratio", closed(0, 1), false, "low-carbon upgrade share in month 0") \
  X(e0, "energy", "e0", "tce/¥10k", closed(0, 1000), false, "energy intensity in month 0") \
  X(EF, "energy", "EF", "tCO2/tce", closed(0, 100), false, "emission factor") \
  X(pass_through, "prices", "π", "ratio", closed(0, 1), false, "share of carbon cost passed into price") \
  X(price_elasticity, "demand", "ε", "ratio", closed(0, 20), false, "final-demand price elasticity") \
  X(recycling_saving, "prices", "μ", "ratio", closed(0, 10), false, \
    "price cut per unit of recycling ratio above r0") \
  X(tfp_trend, "productivity", "γ", "1/yr", closed(-1, 1), false, "autonomous TFP growth") \
  X(demand_trend, "demand", "γd", "1/yr", closed(-1, 1), false, "autonomous final-demand growth") \
  X(aeei, "energy", "aeei", "1/yr", closed(-1, 1), false, "autonomous energy-efficiency improvement") \
  X(green_efficiency, "energy", "ψ", "ratio", closed(0, 1), false, "energy-intensity cut per unit of upgrade share") \
  X(tfp_gain, "productivity", "θ", "ratio", closed(0, 10), false, "log-TFP gain per unit of adoption share") \
  X(loan_weight, "credit", "ω", "ratio", closed(0, kInf), false, \
    "base share weight of new long-term loans (0: does not borrow)") \
  X(Lm0, "credit", "Lm0", "¥100m", closed(0, kInf), false, "medium/long-term loan stock in month 0") \
  X(Ls0, "credit", "Ls0", "¥100m", closed(0, kInf), false, "short-term loan stock in month 0") \
  X(firms, "adoption", "M", "count", closed(1, 1e7), true, "enterprises above designated size") \
  X(capital_goods_share, "demand", "b", "ratio", closed(0, 1), false, \
    "share of all investment demand served by this sector") \
  X(shock_rho, "shocks", "ρ", "ratio", open_both(-1, 1), false, "AR(1) persistence of the sector shock") \
  X(shock_sigma, "shocks", "σ", "ratio/month", closed(0, 1), false, \
    "standard deviation of the sector shock's innovation") \
  X(shock_beta, "shocks", "β", "ratio", closed(-10, 10), false, "loading on the common factor")
