// The compiled model's parameters (immutable during a run; see MODEL.md for
// the equations). Built from a scenario by sim/scenario/scenario.h; a member with
// `uncertain` draws gets its own copy with the drawn values set through
// sim/param_address.h.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/core/schedule.h"

namespace mfgsim {

// Per-sector parameters, one vector per column of data/sectors.csv, each of
// length S (number of sectors). Units and ranges: kSectorFields in
// models/parameters.h.
struct SectorTable {
  std::vector<std::string> names;
  std::vector<double> industry, manufacturing;  // flags, 0 or 1
  std::vector<double> V0, v, K0, alpha, delta, iota, accelerator, u0, a0, g0, e0, EF,
      pass_through, price_elasticity, recycling_saving, tfp_trend, demand_trend, aeei,
      green_efficiency, tfp_gain, loan_weight, Lm0, Ls0, firms, capital_goods_share,
      shock_rho, shock_sigma, shock_beta;
  int size() const { return static_cast<int>(names.size()); }
  int index_of(const std::string& name) const;  // -1 when absent
};

// Scalar global parameters (scenario key in brackets). Units, defaults and
// ranges: models/parameters.cpp; default_model_params() fills the defaults.
struct GlobalParams {
  double new_loans_base = 0.0;       // N0 [lending.new_loans_base], ¥100m/month
  double short_term_growth = 0.0;     // ℓs [lending.short_term_growth], 1/yr
  double maturity = 0.0;              // T_m [lending.maturity], years
  double investment_pass = 0.0;       // λ [lending.investment_pass], ratio
  double green_tilt = 0.0;            // tilt [lending.green_tilt], ratio
  double credit_elasticity = 0.0;     // χ [intelligent_manufacturing.credit_elasticity]
  double imitation_q = 0.0;           // q [intelligent_manufacturing.imitation_q], 1/yr
  double demonstration_effect = 0.0;  // κ [intelligent_manufacturing.demonstration_effect], 1/yr
  double national_weight = 0.0;       // w_nat
  double provincial_weight = 0.0;     // w_prov
  double firm_size_shape = 0.0;      // Pareto shape (firm mode)
  double carbon_response = 0.0;       // η [low_carbon.carbon_response], 1/yr
  double peer_effect = 0.0;           // q_g [low_carbon.peer_effect], 1/yr
  double retrofit_capex = 0.0;        // s_g [low_carbon.retrofit_capex], ratio
  double recycling_start = 0.0;       // r0 [low_carbon.recycling_start], ratio
  double recycling_speed = 0.0;       // k_r [low_carbon.recycling_speed], 1/yr
  double common_rho = 0.0;            // ρ_F [shocks.common_rho]
  double common_sigma = 0.0;         // σ_F [shocks.common_sigma], monthly
};

// The levers marked (t) in MODEL.md; defaults in models/parameters.cpp.
struct Levers {
  Schedule long_term_growth;  // ℓ(t), 1/yr
  Schedule innovation_p;     // p(t), 1/yr
  Schedule carbon_price;      // τ(t), ¥/tCO2
  Schedule retrofit_push;     // p_g(t), 1/yr
  Schedule recycling_target;  // r*(t), ratio
};

// One demonstration designation: counts of enterprises named in a month.
struct Demonstration {
  int month = 0;   // month index (may be before the run's start)
  int sector = 0;  // sector index
  double national = 0.0, provincial = 0.0;  // enterprises
};

enum class AdoptionMode { aggregate, firms };

struct ModelParams {
  SectorTable sectors;
  Eigen::MatrixXd A;  // S x S input-output coefficients, A(i, j): input from i per unit of j's output
  GlobalParams global;
  Levers levers;
  std::vector<Demonstration> demonstrations;
  int equipment_sector = -1;  // index of low_carbon.equipment_sector
  AdoptionMode mode = AdoptionMode::aggregate;
};

}  // namespace mfgsim
