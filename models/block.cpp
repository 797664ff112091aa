#include "models/block.h"

namespace mfgsim {

using P = BlockParams;

const std::vector<P::Array>& BlockParams::sector_arrays() {
  static const std::vector<Array> arrays = {
      &P::V0, &P::a0, &P::g0, &P::e0, &P::Lm0, &P::Ls0, &P::v, &P::K0, &P::alpha, &P::delta, &P::iota,
      &P::accelerator, &P::u0, &P::EF, &P::pass_through, &P::price_elasticity, &P::recycling_saving,
      &P::tfp_trend, &P::demand_trend, &P::aeei, &P::green_efficiency, &P::tfp_gain, &P::loan_weight,
      &P::firms, &P::capital_goods_share, &P::shock_rho, &P::shock_sigma, &P::shock_beta,
      &P::final_demand_ref, &P::price_ref, &P::credit_ref, &P::credit_ref_zero, &P::capacity_ref};
  return arrays;
}

const std::vector<P::Array>& BlockParams::member_arrays() {
  static const std::vector<Array> arrays = {
      &P::new_loans_ref, &P::loan_decay, &P::short_term_factor, &P::firm_size_shape, &P::investment_pass, &P::green_tilt,
      &P::credit_elasticity, &P::imitation_q, &P::demonstration_effect, &P::national_weight,
      &P::provincial_weight, &P::carbon_response, &P::peer_effect, &P::retrofit_capex, &P::recycling_start,
      &P::recycling_speed, &P::common_rho, &P::common_sigma};
  return arrays;
}

const std::vector<P::Array>& BlockParams::lever_arrays() {
  static const std::vector<Array> arrays = {&P::loan_growth_factor, &P::innovation_p, &P::carbon_price,
                                            &P::retrofit_push, &P::recycling_target};
  return arrays;
}

void BlockParams::allocate(int s, int nb, int t) {
  sectors = s;
  members = nb;
  months = t;
  for (Array a : sector_arrays()) (this->*a).assign(static_cast<std::size_t>(s) * nb, 0.0);
  for (Array a : member_arrays()) (this->*a).assign(nb, 0.0);
  for (Array a : lever_arrays()) (this->*a).assign(static_cast<std::size_t>(t) * nb, 0.0);
  demo_national.assign(static_cast<std::size_t>(t) * s, 0.0);
  demo_provincial.assign(static_cast<std::size_t>(t) * s, 0.0);
}

void BlockParams::copy_member(const BlockParams& source, int from, int to) {
  const int nb_src = source.members;
  for (Array a : sector_arrays())
    for (int i = 0; i < sectors; ++i) (this->*a)[i * members + to] = (source.*a)[i * nb_src + from];
  for (Array a : member_arrays()) (this->*a)[to] = (source.*a)[from];
  for (Array a : lever_arrays())
    for (int t = 0; t < months; ++t) (this->*a)[t * members + to] = (source.*a)[t * nb_src + from];
}

void BlockState::allocate(int s, int nb) {
  sectors = s;
  members = nb;
  for (auto* a : {&z, &adoption, &upgrade, &log_tfp, &capital, &energy_intensity, &long_term_loans,
                  &short_term_loans, &va_prev, &pressure, &adopted_firms, &demonstration_firms, &new_loans, &adoption_new, &upgrade_new,
                  &retrofit, &investment, &price, &capacity, &final_demand, &demand_output, &va,
                  &gross_output, &utilisation, &energy, &co2})
    a->assign(static_cast<std::size_t>(s) * nb, 0.0);
  for (auto* a : {&common_factor, &recycling, &new_loans_prev, &new_loans_total, &scratch}) a->assign(nb, 0.0);
}

}  // namespace mfgsim
