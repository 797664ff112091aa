// Firm mode (MODEL.md "Firm mode"): intelligent-manufacturing adoption firm
// by firm. Each sector holds M_i firms with Pareto(shape) sizes, normalised
// to sum to 1 within the sector and sorted largest first. Step 4 becomes:
// designations of month t name firms (DesignationRule, MODEL.md
// "Designations in firm mode"); then each firm not yet adopted adopts with
// probability 1 - exp(-Δ h_i), h_i as in aggregate mode with a_i the
// size-weighted adopted share before the month; a_new_i is the share after.
//
// Designations, rule `recognition` (the default): the largest adopted firms
// not yet designated are named, and nobody's adoption changes; when fewer
// adopted firms are left than designations, the rest go to the largest firms
// not yet designated, which adopt (a demonstration enterprise has a project
// in place). Rule `adoption` (before issue 18): the largest firms not yet
// designated are named and adopt at designation.
//
// Choices where MODEL.md is silent (documented in the README):
//  - month 0: each firm has adopted with probability a0_i, independently of
//    its size, so the expected size-weighted share is a0_i; the realised
//    share is the initial a_i;
//  - designations dated before the run are applied at month 0; counts are
//    rounded to whole firms;
//  - draws come from the member's counter-based stream (purpose `firms`), so
//    firm mode is random even in a --deterministic run (its shocks and
//    parameter draws are off); members stay reproducible.
//
// The size-weighted share is a sum of up to M_i normalised sizes: rounded,
// it may exceed 1 by at most about 2 M_i u (u = 2^-53: M_i - 1 roundings of
// the sum plus the normalisation's, e.g. 3.4e-13 for 1,550 firms), so it is
// clamped to 1; it is >= 0 as a sum of non-negative terms.
//
// Firms are the inner, contiguous dimension: per member, [sector offset + k].
// A uniform draw is 32 bits of a Philox4x64 word (8 firms per call), compared
// with the adoption probability scaled to 2^32, so the loop is branch-free.
#pragma once

#include <cstdint>
#include <vector>

#include "models/model_params.h"
#include "sim/core/random_stream.h"

namespace mfgsim::firms {

struct Population {
  int sectors = 0, members = 0;
  std::int64_t firms = 0;                 // F: firms per member, all sectors
  std::vector<std::int64_t> offset;       // S + 1: first firm of each sector
  std::vector<double> size;               // members x F, within-sector shares
  std::vector<std::uint8_t> adopted;      // members x F
  std::vector<std::uint32_t> draws;       // scratch, one sector's firms
  std::vector<std::int64_t> designated;   // S x members: firms designated so far
  std::vector<std::uint8_t> is_designated;  // members x F: 1 for a designated firm

  // firm_counts: M_i per sector (whole numbers >= 1).
  void allocate(const std::vector<double>& firm_counts, int members);
};

// Draws member m's firm sizes and initial adoption; returns nothing, writes
// the realised initial shares into share0[i] (S values).
void initialise_member(Population& pop, int m, std::uint64_t member_id, const RandomStream& stream, double shape,
                       const double* a0, double* share0);

// Step 4 for member m, sector i at month t: `new_designations` firms are
// designated first (by `rule`), then the hazard h applies. Returns the
// size-weighted adopted share after the month, in [0, 1]; *adopted_count
// gets the number of adopted firms.
double step(Population& pop, int m, int i, std::uint64_t member_id, int t, const RandomStream& stream,
            std::int64_t new_designations, double hazard, double* adopted_count,
            DesignationRule rule = DesignationRule::recognition);

}  // namespace mfgsim::firms
