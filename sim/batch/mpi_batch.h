// Batches over MPI ranks (Open MPI). `mpirun -n P mfgsim batch ...` starts P
// processes; each loads the batch and checks that its fingerprint equals
// rank 0's. Rank 0 hands out scenarios one at a time to whichever slot
// (rank x thread group) asks next (dynamic load balancing), runs some
// itself, receives every result as a record (sim/batch/batch_record.h) and writes
// the files; the other ranks only compute. Results equal a single-process
// run's byte for byte: each scenario's numbers depend only on itself and
// rank 0 writes in batch order.
//
// Built when CMake finds MPI (MFGSIM_HAVE_MPI); without it, mpi_world() is
// one process and the rest is never called. MPI starts only when a launcher
// (mpirun, srun) started the process, so a plain `mfgsim batch` never
// touches the network.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/batch/batch.h"

namespace mfgsim {

struct MpiWorld {
  int rank = 0, size = 1;
  int local_size = 1;  // ranks on this machine: the default threads per rank are cores / local_size
};

// The process's place in the MPI job (rank 0 of 1 without MPI).
const MpiWorld& mpi_world();

// Initialises MPI if built with it and launched by an MPI launcher; returns
// whether it did. mpi_finish() finalises (normal exit); mpi_abort() ends
// every rank with MPI_Abort (a rank failed: the others would wait for it
// forever). Only the command line calls it, with its exit code; it returns
// when MPI is not running (then the caller exits with the code itself).
bool mpi_start(int* argc, char*** argv);
void mpi_finish();
void mpi_abort(int code);

// Rank 0: runs `todo` over every rank, calling on_record(index, record) on
// this thread as each scenario's record arrives (any order). Throws RunError
// when a scenario failed on any rank, after every rank has stopped.
BatchRunInfo mpi_run(const Batch& batch, const BatchRunOptions& options, const std::string& fingerprint,
                     const std::vector<std::size_t>& todo,
                     const std::function<void(std::size_t index, const std::string& record)>& on_record);

// Ranks > 0: computes what rank 0 hands out until it has no more.
void mpi_serve(const Batch& batch, const BatchRunOptions& options, const std::string& fingerprint);

}  // namespace mfgsim
