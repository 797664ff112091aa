#include "models/block.h"

namespace mfgsim {

using P = BlockParams;

// The arrays of each shape: models/fields.h's, then the derived ones.
#define MFGSIM_SECTOR(name, model, symbol, unit, range, integer, doc) &P::name,
#define MFGSIM_SCALAR(name, path, model, symbol, unit, default_value, range, doc) &P::name,
const std::vector<P::Array>& BlockParams::sector_arrays() {
  static const std::vector<Array> arrays = {MFGSIM_SECTOR_FIELDS(MFGSIM_SECTOR) &P::final_demand_ref,
                                            &P::price_ref, &P::credit_ref, &P::credit_ref_zero, &P::capacity_ref,
                                            &P::inv_u0, &P::inv_K0, &P::inv_v, &P::inv_firms,
                                            &P::inv_price_ref, &P::inv_credit_ref};
  return arrays;
}
const std::vector<P::Array>& BlockParams::member_arrays() {
  static const std::vector<Array> arrays = {MFGSIM_GLOBAL_PARAMS(MFGSIM_SCALAR) &P::loan_decay,
                                            &P::short_term_factor};
  return arrays;
}
const std::vector<P::Array>& BlockParams::lever_arrays() {
  static const std::vector<Array> arrays = {MFGSIM_LEVERS(MFGSIM_SCALAR) &P::loan_growth_factor};
  return arrays;
}
#undef MFGSIM_SECTOR
#undef MFGSIM_SCALAR

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

void BlockParams::copy_member(const BlockParams& source, int from, int to, const std::vector<char>* levers) {
  const int nb_src = source.members;
  for (Array a : sector_arrays())
    for (int i = 0; i < sectors; ++i) (this->*a)[i * members + to] = (source.*a)[i * nb_src + from];
  for (Array a : member_arrays()) (this->*a)[to] = (source.*a)[from];
  const std::vector<Array>& all = lever_arrays();
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (levers && !(*levers)[k]) continue;
    for (int t = 0; t < months; ++t) (this->*all[k])[t * members + to] = (source.*all[k])[t * nb_src + from];
  }
}

namespace {
using S = BlockState;
const std::vector<Column S::*>& state_sector_arrays() {
  static const std::vector<Column S::*> arrays = {
      &S::z, &S::adoption, &S::upgrade, &S::log_tfp, &S::capital, &S::energy_intensity, &S::long_term_loans,
      &S::short_term_loans, &S::va_prev, &S::pressure, &S::trend_level, &S::trend_drift, &S::adopted_firms,
      &S::demonstration_firms, &S::new_loans, &S::adoption_new, &S::upgrade_new, &S::retrofit, &S::investment,
      &S::price, &S::capacity, &S::final_demand, &S::demand_output, &S::va, &S::gross_output, &S::utilisation,
      &S::energy, &S::co2};
  return arrays;
}
const std::vector<Column S::*>& state_member_arrays() {
  static const std::vector<Column S::*> arrays = {&S::common_factor, &S::recycling,      &S::new_loans_prev,
                                                  &S::new_loans_total, &S::scratch,        &S::investment_total,
                                                  &S::retrofit_total};
  return arrays;
}
}  // namespace

void BlockState::allocate(int s, int nb) {
  sectors = s;
  members = nb;
  for (auto a : state_sector_arrays()) (this->*a).assign(static_cast<std::size_t>(s) * nb, 0.0);
  for (auto a : state_member_arrays()) (this->*a).assign(nb, 0.0);
}

void BlockState::copy_member(const BlockState& source, int from, int to) {
  const int nb_src = source.members;
  for (auto a : state_sector_arrays())
    for (int i = 0; i < sectors; ++i) (this->*a)[i * members + to] = (source.*a)[i * nb_src + from];
  for (auto a : state_member_arrays()) (this->*a)[to] = (source.*a)[from];
}

}  // namespace mfgsim
