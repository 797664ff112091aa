#include "models/validate.h"

#include <Eigen/Core>
#include <cmath>
#include <fmt/format.h>

#include <string>

#include "models/demand.h"

namespace mfgsim {

std::vector<ModelIssue> validate_model(const ModelParams& p, const Calendar& calendar) {
  std::vector<ModelIssue> issues;
  const SectorTable& st = p.sectors;
  const int S = st.size();
  (void)calendar;
  if (p.A.rows() != S || p.A.cols() != S) {
    issues.push_back({"input-output table is " + std::to_string(p.A.rows()) + " x " + std::to_string(p.A.cols()) +
                      " but there are " + std::to_string(S) + " sectors", -1, "", ""});
    return issues;
  }
  // Demand: column sums of A below 1 - v, so that value added is positive
  // and (I - A) is invertible with a non-negative inverse.
  for (int j = 0; j < S; ++j) {
    const double column_sum = p.A.col(j).sum();
    if (!(column_sum < 1.0 - st.v[j]))
      issues.push_back({"input coefficients into sector '" + st.names[j] + "' (its column of the input-output table) sum to " +
                            fmt::format("{:.6g}", column_sum) + ", which must be below 1 - v = " +
                            fmt::format("{:.6g}", 1.0 - st.v[j]),
                        j, "v", "", true});
  }
  // Demand: the investment demand served inside the region is at most all of it.
  double share = 0.0;
  for (int i = 0; i < S; ++i) share += st.capital_goods_share[i];
  if (share > 1.0 + 1e-12)
    issues.push_back({"capital_goods_share sums to " + fmt::format("{:.6g}", share) + " over the sectors; it must be at most 1",
                      -1, "capital_goods_share", ""});
  // Output: manufacturing is part of all industry (the published aggregates
  // nest), and the manufacturing aggregates (value added, adoption, loan
  // share) need at least one sector.
  int manufacturing = 0;
  for (int i = 0; i < S; ++i) {
    if (st.manufacturing[i] == 0.0) continue;
    ++manufacturing;
    if (st.industry[i] == 0.0)
      issues.push_back({"sector '" + st.names[i] +
                            "' counts in manufacturing but not in industry: manufacturing is part of all industry, "
                            "so industry must be 1 where manufacturing is 1",
                        i, "industry", ""});
  }
  if (manufacturing == 0)
    issues.push_back({"no sector has manufacturing = 1: the manufacturing aggregates (value added, adoption, "
                      "long-term loan share) need at least one",
                      -1, "manufacturing", ""});
  // Credit: new loans need at least one borrower; demand: reference final
  // demand must be non-negative.
  // fbar only once the checks above passed (I - A invertible).
  Eigen::VectorXd fbar;
  for (ModelIssue& issue : reference_final_demand(p, issues.empty() ? &fbar : nullptr))
    issues.push_back(std::move(issue));
  if (p.equipment_sector < 0 || p.equipment_sector >= S)
    issues.push_back({"low_carbon.equipment_sector does not name a sector", -1, "", "low_carbon.equipment_sector"});
  return issues;
}

std::vector<ModelIssue> reference_final_demand(const ModelParams& p, Eigen::VectorXd* fbar_out) {
  std::vector<ModelIssue> issues;
  const SectorTable& st = p.sectors;
  const GlobalParams& g = p.global;
  const int S = st.size();
  double weight_sum = 0.0;
  for (int i = 0; i < S; ++i) weight_sum += st.loan_weight[i];
  if (!(weight_sum > 0.0)) {
    issues.push_back({"no sector borrows: at least one sector needs loan_weight > 0", -1, "loan_weight", ""});
    return issues;
  }
  if (fbar_out == nullptr) return issues;
  Eigen::VectorXd& fbar = *fbar_out;
  Eigen::VectorXd gross0(S), share(S);
  double investment_ref = 0.0;
  for (int i = 0; i < S; ++i) {
    const double wbar = st.loan_weight[i] / weight_sum;
    gross0[i] = st.V0[i] / st.v[i];
    share[i] = st.capital_goods_share[i];
    investment_ref += st.iota[i] * st.V0[i] + g.investment_pass * wbar * g.new_loans_base;
  }
  fbar = demand::reference_final_demand(p.A, gross0, share, investment_ref);
  for (int i = 0; i < S; ++i)
    if (!(fbar[i] >= 0.0))
      issues.push_back({"reference final demand of sector '" + st.names[i] + "' is negative (" +
                            fmt::format("{:.6g}", fbar[i]) +
                            " per month): its intermediate and investment demand exceed its month-0 output",
                        i, "V0", ""});
  return issues;
}

}  // namespace mfgsim
