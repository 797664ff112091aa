// The month loop of MODEL.md over a block of ensemble members, in three
// stages as MuJoCo's mjSpec -> mjModel -> mjData:
//   RunSpec (sim/engine/run_spec.h, reader-free)
//     -> compile() -> CompiledRun (immutable, shared by every thread)
//     -> Workspace (one per worker thread, reused for every block)
// step_month(run, ws, t, first) advances a block by one month; observers
// receive the state after every month.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/demand.h"
#include "models/firms.h"
#include "models/block.h"
#include "sim/engine/guards.h"
#include "sim/core/random_stream.h"
#include "models/validate.h"
#include "sim/engine/run_spec.h"

namespace mfgsim {

// Receives the state of members [first, first + count) after month t; the
// block's columns 0 .. count-1 hold them. Called once per block and month.
class MonthObserver {
 public:
  virtual ~MonthObserver() = default;
  virtual void record(int t, const BlockParams& params, const BlockState& state, std::int64_t first,
                      int count) = 0;
};

// Per-thread buffers: allocated once, reused for every block.
struct Workspace {
  BlockParams params;
  BlockState state;
  ModelParams drawn;            // the spec's parameters with this member's `uncertain` draws
  Column normals;               // (1 + S) x nb shock draws for one month
  Column uniforms;              // their uniforms
  firms::Population firms;      // firm mode only
  // Numerical guards (sim/engine/guards.h) of the current block: the month each
  // column failed (-1: running), and the failures in the order found.
  std::vector<int> failed_month;
  std::vector<GuardHit> guard_hits;  // capacity for every column: never grows in the month loop
};

struct EngineOptions {
  bool stochastic = false;  // shocks on and `uncertain` draws (ensemble.stochastic)
  int block_size = 32;      // members per block (1 .. 4096); results do not depend on it

  // As Ceres' Solver::Options::IsValid: false, with the reason in *error,
  // for options no run can use.
  bool IsValid(std::string* error) const;
};

class CompiledRun;

struct CompileResult {
  std::unique_ptr<const CompiledRun> run;  // set exactly when `issues` is empty
  // Bad input: the model's cross-parameter checks (models/validate.h), the
  // options', and what firm mode cannot draw. The scenario reader maps each
  // to the file position of the value concerned.
  std::vector<ModelIssue> issues;
};

// Checks `spec` and `options` and derives every month-0 reference value.
// Never throws for bad input.
CompileResult compile(RunSpec spec, EngineOptions options);

class CompiledRun {
 public:
  int sectors() const { return sectors_; }
  int months() const { return months_; }
  const RunSpec& spec() const { return spec_; }
  const EngineOptions& options() const { return options_; }

  Workspace make_workspace() const;

  // Runs members [first, first + count), count <= block_size. Returns an
  // error message (naming the member and the cause) if a member's drawn
  // parameters are invalid; nothing is recorded then. A member whose state
  // breaks a guard (sim/engine/guards.h) keeps running with the block but is
  // reported in ws.guard_hits (column = member - first; columns >= count
  // are padding) and ws.failed_month: its values from that month on are
  // meaningless and the observer still receives them.
  std::optional<std::string> run_block(std::int64_t first, int count, Workspace& ws,
                                       MonthObserver& observer) const;

  // One month for the whole block (steps 1-15); exposed for benchmarks.
  void step_month(int t, std::int64_t first, Workspace& ws) const;
  // The guards after month t (run_block calls it after every step_month);
  // returns the number of columns that failed this month.
  int check_month(int t, Workspace& ws) const;
  // A failure's message: the variable, sector, month and value, the inputs
  // of its equation, the member's drawn `uncertain` values and the levers
  // that month. Allocates: call outside the month loop.
  std::string failure_message(const GuardHit& hit, std::int64_t member) const;
  // Sets the initial state of every column of the block from its parameters.
  void initialise(Workspace& ws, std::int64_t first) const;
  // Fills the block's parameters for members [first, first + count): each
  // member's `uncertain` draws rewrite only the fields they move (the
  // columns start as the spec's parameters in make_workspace).
  std::optional<std::string> lower_block(std::int64_t first, int count, Workspace& ws) const;
  // The value member `member` draws for spec().uncertain[k] (not
  // range-checked): what run_block's member ran with (draws.csv).
  double draw_uncertain(std::int64_t member, std::size_t k) const;
  // The same member's parameters lowered whole from a fresh copy of the spec
  // into column `column` of `out`: the reference lower_block is tested against.
  std::optional<std::string> lower_member(std::int64_t member, BlockParams& out, int column) const;

 private:
  // Step 2's standard normals for month t into ws.normals ((1 + S) x nb).
  void draw_shocks(int t, std::int64_t first, Workspace& ws) const;
  // Step 4 in firm mode for sector i of every member of the block.
  void firm_adoption(int t, int i, std::int64_t first, Workspace& ws) const;
  friend CompileResult compile(RunSpec spec, EngineOptions options);
  CompiledRun(RunSpec spec, EngineOptions options);
  // Lowers `params` into column `column` of `out` (derived values included):
  // the fields, every lever, then the month-0 references.
  std::optional<std::string> lower(const ModelParams& params, BlockParams& out, int column) const;
  void lower_fields(const ModelParams& params, const ParamAddress* address, BlockParams& out, int column) const;
  void lower_lever(const ModelParams& params, const LeverInfo* lever, BlockParams& out, int column) const;
  std::optional<std::string> lower_references(const ModelParams& params, BlockParams& out, int column) const;
  // Only what spec().uncertain's entries can move.
  std::optional<std::string> lower_drawn(const ModelParams& params, BlockParams& out, int column) const;

  RunSpec spec_;
  EngineOptions options_;
  int sectors_ = 0, months_ = 0;
  demand::LeontiefSolver solver_;
  BlockParams base_;  // the spec's parameters lowered into one column
  RandomStream stream_;
};

// One month for the whole block (MODEL.md steps 1-15).
inline void step_month(const CompiledRun& run, Workspace& ws, int t, std::int64_t first) {
  run.step_month(t, first, ws);
}

}  // namespace mfgsim
