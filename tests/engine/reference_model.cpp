// Reference implementation of MODEL.md; see reference_model.h.
//
// Written from the text of MODEL.md only. Each block below quotes the
// equation it implements. Deliberately scalar and unoptimised.
//
// Note for the build: tests/CMakeLists.txt compiles only *_test.cpp, so this
// file is compiled as part of reference_model_test.cpp (which includes it).
#include "tests/engine/reference_model.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>

namespace mfgsim::reference {

namespace {

constexpr double kDelta = 1.0 / 12.0;  // Δ, years per month
const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double schedule_at(const Schedule& s, int t) {
  // An extending file's dated schedule: the inherited values before its first month.
  if (s.inherited && s.kind != Schedule::Kind::constant) {
    const int first = s.kind == Schedule::Kind::steps ? s.steps.front().from : s.from;
    if (t < first) return schedule_at(*s.inherited, t);
  }
  switch (s.kind) {
    case Schedule::Kind::constant:
      return s.value;
    case Schedule::Kind::steps: {
      if (s.steps.empty()) return s.value;
      // Before the first entry: the first value. Otherwise the last entry
      // whose month is <= t.
      double value = s.steps.front().value;
      for (const auto& step : s.steps)
        if (step.from <= t) value = step.value;
      return value;
    }
    case Schedule::Kind::ramp: {
      if (t <= s.from) return s.start;
      if (t >= s.to) return s.end;
      const double frac = static_cast<double>(t - s.from) / static_cast<double>(s.to - s.from);
      return s.start + (s.end - s.start) * frac;
    }
  }
  return s.value;
}

std::vector<double> ytd_yoy(const std::vector<double>& y, YearMonth start) {
  const int T = static_cast<int>(y.size());
  std::vector<double> out(T, kNaN);
  for (int t = 0; t < T; ++t) {
    // Calendar month m (1..12) of month index t.
    const int m = ((start.month - 1 + t) % 12) + 1;
    // This year's months 1..m are indices t-m+1 .. t; last year's are 12 earlier.
    const int first_prev = t - 12 - (m - 1);
    if (first_prev < 0) continue;  // a month outside the run: undefined
    double cur = 0.0, prev = 0.0;
    for (int k = 0; k < m; ++k) {
      cur += y[t - (m - 1) + k];
      prev += y[first_prev + k];
    }
    out[t] = cur / prev - 1.0;
  }
  return out;
}

Result run(const ModelParams& P, const Calendar& calendar, int T) {
  const SectorTable& s = P.sectors;
  const GlobalParams& g = P.global;
  const int S = s.size();

  Result R;
  R.sectors = S;
  R.months = T;
  R.sector.resize(S);
  for (auto& path : R.sector) {
    for (auto* v : {&path.va, &path.gross_output, &path.capacity, &path.utilisation, &path.capital,
                    &path.investment, &path.retrofit_spending, &path.new_loans, &path.price,
                    &path.demand_pressure, &path.long_term_loans, &path.short_term_loans, &path.adoption,
                    &path.upgrade_share, &path.log_tfp, &path.energy_intensity, &path.energy, &path.co2,
                    &path.adopted_firms, &path.demonstration_firms})
      v->assign(T, kNaN);
  }
  {
    auto& A = R.aggregate;
    for (auto* v : {&A.industry_va, &A.manufacturing_va, &A.co2, &A.energy, &A.adoption, &A.long_term_loans,
                    &A.long_term_share, &A.new_loans, &A.recycling_ratio, &A.carbon_price, &A.retrofit_push,
                    &A.long_term_growth, &A.innovation_p, &A.recycling_target})
      v->assign(T, kNaN);
  }

  // ---- Initial state (month 0, before the first step) ----
  // z_i = 0, F = 0 (deterministic), a_i = a0_i, g_i = g0_i, lnA_i = 0, K_i = K0_i,
  // e_i = e0_i, r = r0, Lm_i = Lm0_i, Ls_i = Ls0_i, Vprev_i = V0_i, pressure_i = u0_i
  std::vector<double> a = s.a0, gs = s.g0, lnA(S, 0.0), K = s.K0, e = s.e0, Lm = s.Lm0, Ls = s.Ls0,
                      Vprev = s.V0, pressure = s.u0;
  double r = g.recycling_start;
  const double N0 = g.new_loans_base;
  // N_prev = N0 / (1 + ℓ(0))^Δ
  double N_prev = N0 / std::pow(1.0 + schedule_at(P.levers.long_term_growth, 0), kDelta);

  // X0_i = V0_i / v_i ; Vcap0_i = V0_i / u0_i
  std::vector<double> X0(S), Vcap0(S);
  for (int i = 0; i < S; ++i) {
    X0[i] = s.V0[i] / s.v[i];
    Vcap0[i] = s.V0[i] / s.u0[i];
  }
  // wbar_i = ω_i / Σ_j ω_j
  double omega_sum = 0.0;
  for (int j = 0; j < S; ++j) omega_sum += s.loan_weight[j];
  std::vector<double> wbar(S);
  for (int i = 0; i < S; ++i) wbar[i] = s.loan_weight[i] / omega_sum;
  // Iref = Σ_j (iota_j V0_j + λ wbar_j N0)
  double Iref = 0.0;
  for (int j = 0; j < S; ++j) Iref += s.iota[j] * s.V0[j] + g.investment_pass * wbar[j] * N0;
  // fbar = (I - A) X0 - b · Iref, written out element by element.
  std::vector<double> fbar(S);
  for (int i = 0; i < S; ++i) {
    double ax = 0.0;
    for (int j = 0; j < S; ++j) ax += P.A(i, j) * X0[j];
    fbar[i] = X0[i] - ax - s.capital_goods_share[i] * Iref;
    if (fbar[i] < 0.0)
      throw std::invalid_argument("reference: negative reference final demand for sector " + s.names[i]);
  }
  // P0_i = 1 + π_i τ(0) EF_i e0_i 1e-4
  const double tau0 = schedule_at(P.levers.carbon_price, 0);
  std::vector<double> P0(S);
  for (int i = 0; i < S; ++i) P0[i] = 1.0 + s.pass_through[i] * tau0 * s.EF[i] * s.e0[i] * 1e-4;

  R.fbar = fbar;
  R.Iref_share = wbar;
  R.Iref = Iref;

  // The Leontief matrix I - A, LU-factored with partial pivoting (once).
  const Eigen::MatrixXd leontief = Eigen::MatrixXd::Identity(S, S) - P.A;
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(leontief);

  std::vector<double> N_i(S), a_new(S), g_new(S), G(S), Icore(S), price(S), Vcap(S), V(S), X(S), u(S),
      E(S), CO2(S);
  Eigen::VectorXd f(S);

  for (int t = 0; t < T; ++t) {
    // 1. Levers.
    const double ell = schedule_at(P.levers.long_term_growth, t);
    const double p_t = schedule_at(P.levers.innovation_p, t);
    const double tau = schedule_at(P.levers.carbon_price, t);
    const double pg = schedule_at(P.levers.retrofit_push, t);
    const double rstar = schedule_at(P.levers.recycling_target, t);
    R.aggregate.carbon_price[t] = tau;
    R.aggregate.retrofit_push[t] = pg;
    R.aggregate.long_term_growth[t] = ell;
    R.aggregate.innovation_p[t] = p_t;
    R.aggregate.recycling_target[t] = rstar;

    // 2. Shocks: deterministic, z = F = 0.

    // 3. Credit.
    // N = N_prev (1 + ℓ(t))^Δ; N_prev <- N
    const double N = N_prev * std::pow(1.0 + ell, kDelta);
    N_prev = N;
    // w_i = ω_i (1 + tilt g_i) / Σ_j ω_j (1 + tilt g_j); N_i = w_i N
    double wden = 0.0;
    for (int j = 0; j < S; ++j) wden += s.loan_weight[j] * (1.0 + g.green_tilt * gs[j]);
    for (int i = 0; i < S; ++i) {
      const double w = s.loan_weight[i] * (1.0 + g.green_tilt * gs[i]) / wden;
      N_i[i] = w * N;
      // Lm_i <- Lm_i (1 - Δ/T_m) + N_i ; Ls_i <- Ls_i (1 + ℓs)^Δ
      Lm[i] = Lm[i] * (1.0 - kDelta / g.maturity) + N_i[i];
      Ls[i] = Ls[i] * std::pow(1.0 + g.short_term_growth, kDelta);
    }

    // 4. Intelligent-manufacturing adoption.
    for (int i = 0; i < S; ++i) {
      // credit_i = (N_i / (wbar_i N0))^χ, 1 when wbar_i = 0
      const double credit = wbar[i] == 0.0 ? 1.0 : std::pow(N_i[i] / (wbar[i] * N0), g.credit_elasticity);
      // D_i(t) = Σ over entries of sector i with month <= t of w_nat·national + w_prov·provincial
      double D = 0.0;
      for (const auto& d : P.demonstrations)
        if (d.sector == i && d.month <= t) D += g.national_weight * d.national + g.provincial_weight * d.provincial;
      // h_i = (p(t) + q a_i + κ D_i(t) / M_i) credit_i
      const double h = (p_t + g.imitation_q * a[i] + g.demonstration_effect * D / s.firms[i]) * credit;
      // a_new_i = 1 - (1 - a_i) exp(-Δ h_i)
      a_new[i] = 1.0 - (1.0 - a[i]) * std::exp(-kDelta * h);
    }

    // 5. Low-carbon upgrade.
    for (int i = 0; i < S; ++i) {
      // c_i = τ(t) EF_i e_i 1e-4 (e before this step's cut)
      const double c = tau * s.EF[i] * e[i] * 1e-4;
      // hg_i = p_g(t) + η c_i + q_g g_i
      const double hg = pg + g.carbon_response * c + g.peer_effect * gs[i];
      // g_new_i = 1 - (1 - g_i) exp(-Δ hg_i)
      g_new[i] = 1.0 - (1.0 - gs[i]) * std::exp(-kDelta * hg);
      // G_i = s_g (g_new_i - g_i) K_i
      G[i] = g.retrofit_capex * (g_new[i] - gs[i]) * K[i];
    }

    // 6. Investment and capital.
    for (int i = 0; i < S; ++i) {
      // Icore_i = iota_i Vprev_i e^{z_i} (pressure_i / u0_i)^{φ_i} + λ N_i   (z = 0)
      Icore[i] = s.iota[i] * Vprev[i] * std::pow(pressure[i] / s.u0[i], s.accelerator[i]) +
                 g.investment_pass * N_i[i];
      // K_i <- (1 - Δ δ_i) K_i + Icore_i + G_i
      K[i] = (1.0 - kDelta * s.delta[i]) * K[i] + Icore[i] + G[i];
    }

    // 7. Productivity: lnA_i <- lnA_i + Δ γ_i + θ_i (a_new_i - a_i)
    for (int i = 0; i < S; ++i) lnA[i] = lnA[i] + kDelta * s.tfp_trend[i] + s.tfp_gain[i] * (a_new[i] - a[i]);

    // 8. Energy: e_i <- e_i (1 - Δ aeei_i)(1 - ψ_i (g_new_i - g_i))
    for (int i = 0; i < S; ++i)
      e[i] = e[i] * (1.0 - kDelta * s.aeei[i]) * (1.0 - s.green_efficiency[i] * (g_new[i] - gs[i]));

    // 9. Recycling: r <- r + Δ k_r (r*(t) - r)
    r = r + kDelta * g.recycling_speed * (rstar - r);

    // 10. Commit shares.
    a = a_new;
    gs = g_new;

    // 11. Prices: P_i = 1 + π_i τ(t) EF_i e_i 1e-4 - μ_i (r - r0)  (new e, new r)
    for (int i = 0; i < S; ++i)
      price[i] = 1.0 + s.pass_through[i] * tau * s.EF[i] * e[i] * 1e-4 -
                 s.recycling_saving[i] * (r - g.recycling_start);

    // 12. Capacity: Vcap_i = Vcap0_i exp(lnA_i) (K_i / K0_i)^{α_i}
    for (int i = 0; i < S; ++i) Vcap[i] = Vcap0[i] * std::exp(lnA[i]) * std::pow(K[i] / s.K0[i], s.alpha[i]);

    // 13. Demand.
    // f_i = fbar_i exp(γd_i t Δ + z_i + s(t)) (P_i / P0_i)^{-ε_i} + b_i Σ_j Icore_j
    //       + [i = equipment_sector] Σ_j G_j   (s: the demand-shock lever, MODEL.md "Demand shocks")
    double Isum = 0.0, Gsum = 0.0;
    for (int j = 0; j < S; ++j) {
      Isum += Icore[j];
      Gsum += G[j];
    }
    for (int i = 0; i < S; ++i) {
      f[i] = fbar[i] * std::exp(s.demand_trend[i] * static_cast<double>(t) * kDelta +
                                schedule_at(P.levers.demand_shock, t)) *
                 std::pow(price[i] / P0[i], -s.price_elasticity[i]) +
             s.capital_goods_share[i] * Isum + (i == P.equipment_sector ? Gsum : 0.0);
    }
    // Xd = (I - A)^{-1} f
    const Eigen::VectorXd Xd = lu.solve(f);

    // 14. Output.
    for (int i = 0; i < S; ++i) {
      const double desired = s.v[i] * Xd[i];
      V[i] = std::min(desired, Vcap[i]);  // V_i = min(v_i Xd_i, Vcap_i)
      X[i] = V[i] / s.v[i];
      u[i] = V[i] / Vcap[i];
      pressure[i] = desired / Vcap[i];  // may exceed 1
      Vprev[i] = V[i];
    }

    // 15. Energy and emissions: E_i = e_i V_i 1e4 ; CO2_i = EF_i E_i
    for (int i = 0; i < S; ++i) {
      E[i] = e[i] * V[i] * 1e4;
      CO2[i] = s.EF[i] * E[i];
    }

    // ---- Record ----
    for (int i = 0; i < S; ++i) {
      SectorPath& o = R.sector[i];
      o.va[t] = V[i];
      o.gross_output[t] = X[i];
      o.capacity[t] = Vcap[i];
      o.utilisation[t] = u[i];
      o.capital[t] = K[i];
      o.investment[t] = Icore[i];
      o.retrofit_spending[t] = G[i];
      o.new_loans[t] = N_i[i];
      o.price[t] = price[i];
      o.demand_pressure[t] = pressure[i];
      o.long_term_loans[t] = Lm[i];
      o.short_term_loans[t] = Ls[i];
      o.adoption[t] = a[i];
      o.upgrade_share[t] = gs[i];
      o.log_tfp[t] = lnA[i];
      o.energy_intensity[t] = e[i];
      o.energy[t] = E[i];
      o.co2[t] = CO2[i];
      o.adopted_firms[t] = a[i] * s.firms[i];
      double designated = 0.0;
      for (const auto& d : P.demonstrations)
        if (d.sector == i && d.month <= t) designated += d.national + d.provincial;
      o.demonstration_firms[t] = designated;
    }
    double ind_va = 0.0, mfg_va = 0.0, co2 = 0.0, energy = 0.0, mfg_va_a = 0.0, mfg_Lm = 0.0, mfg_Ls = 0.0;
    for (int i = 0; i < S; ++i) {
      if (s.industry[i] != 0.0) ind_va += V[i];
      if (s.manufacturing[i] != 0.0) {
        mfg_va += V[i];
        mfg_va_a += V[i] * a[i];
        mfg_Lm += Lm[i];
        mfg_Ls += Ls[i];
      }
      co2 += CO2[i];
      energy += E[i];
    }
    AggregatePath& ag = R.aggregate;
    ag.industry_va[t] = ind_va;
    ag.manufacturing_va[t] = mfg_va;
    ag.co2[t] = co2;
    ag.energy[t] = energy;
    ag.adoption[t] = mfg_va_a / mfg_va;
    ag.long_term_loans[t] = mfg_Lm;
    ag.long_term_share[t] = mfg_Lm / (mfg_Lm + mfg_Ls);
    ag.new_loans[t] = N;
    ag.recycling_ratio[t] = r;
  }

  // ---- Derived growth series ----
  for (int i = 0; i < S; ++i) R.sector[i].va_ytd_yoy = ytd_yoy(R.sector[i].va, calendar.start);
  R.aggregate.industry_va_ytd_yoy = ytd_yoy(R.aggregate.industry_va, calendar.start);
  R.aggregate.manufacturing_va_ytd_yoy = ytd_yoy(R.aggregate.manufacturing_va, calendar.start);
  // Stocks use the point value: Lm(t)/Lm(t-12) - 1, NaN for t < 12.
  R.aggregate.long_term_loans_yoy.assign(T, kNaN);
  for (int t = 12; t < T; ++t)
    R.aggregate.long_term_loans_yoy[t] = R.aggregate.long_term_loans[t] / R.aggregate.long_term_loans[t - 12] - 1.0;
  return R;
}

namespace {

// A series of a result and its name in sim/engine/series.h.
struct NamedSeries {
  std::string_view name;
  const std::vector<double>* v;
};

// The series of `table` called `name`, or null.
const std::vector<double>* find_series(std::string_view name, std::initializer_list<NamedSeries> table) {
  for (const NamedSeries& entry : table)
    if (entry.name == name) return entry.v;
  return nullptr;
}

}  // namespace

const std::vector<double>* Result::sector_series(std::string_view name, int i) const {
  if (i < 0 || i >= sectors) return nullptr;
  const SectorPath& p = sector[i];
  return find_series(name, {{"va", &p.va}, {"gross_output", &p.gross_output}, {"capacity", &p.capacity},
                            {"utilisation", &p.utilisation}, {"capital", &p.capital}, {"investment", &p.investment},
                            {"retrofit_spending", &p.retrofit_spending}, {"new_loans", &p.new_loans},
                            {"price", &p.price}, {"demand_pressure", &p.demand_pressure},
                            {"long_term_loans", &p.long_term_loans}, {"short_term_loans", &p.short_term_loans},
                            {"adoption", &p.adoption}, {"upgrade_share", &p.upgrade_share}, {"log_tfp", &p.log_tfp},
                            {"energy_intensity", &p.energy_intensity}, {"energy", &p.energy}, {"co2", &p.co2},
                            {"adopted_firms", &p.adopted_firms}, {"demonstration_firms", &p.demonstration_firms},
                            {"va_ytd_yoy", &p.va_ytd_yoy}});
}

const std::vector<double>* Result::aggregate_series(std::string_view name) const {
  const AggregatePath& p = aggregate;
  return find_series(name, {{"industry_va", &p.industry_va}, {"manufacturing_va", &p.manufacturing_va},
                            {"co2", &p.co2}, {"energy", &p.energy}, {"adoption", &p.adoption},
                            {"long_term_loans", &p.long_term_loans}, {"long_term_share", &p.long_term_share},
                            {"new_loans", &p.new_loans}, {"recycling_ratio", &p.recycling_ratio},
                            {"carbon_price", &p.carbon_price}, {"retrofit_push", &p.retrofit_push},
                            {"long_term_growth", &p.long_term_growth}, {"innovation_p", &p.innovation_p},
                            {"recycling_target", &p.recycling_target},
                            {"industry_va_ytd_yoy", &p.industry_va_ytd_yoy},
                            {"manufacturing_va_ytd_yoy", &p.manufacturing_va_ytd_yoy},
                            {"long_term_loans_yoy", &p.long_term_loans_yoy}});
}

}  // namespace mfgsim::reference
