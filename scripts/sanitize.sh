#!/usr/bin/env bash
# Builds everything (library, CLI, tests) with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan (-DMFGSIM_SANITIZE=ON, Release
# optimisation as in the normal build, so the golden files still match) and
# runs the whole test suite there; the CLI tests run the sanitized binary.
# Any memory error, leak or undefined behaviour fails the test that hit it,
# with a stack trace. CI (.ci/run) runs this after the normal build and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release -DMFGSIM_SANITIZE=ON -DMFGSIM_WERROR=ON
cmake --build build-asan -j2
# halt_on_error: the first error ends the process (UBSan too: the code is
# also built with -fno-sanitize-recover=undefined); ASan prints a stack trace
# for every error, UBSan with print_stacktrace.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The golden cases (tests/golden) are left out here: their digests are the
# exact bits of the normal build, and the instrumented code contracts
# floating-point operations differently (the deterministic baseline differs
# in 84,438 fields of summary.csv, by at most 6.5e-12 relative). Their
# commands still run under the sanitizers through the CLI tests, and the
# normal build checks the digests. So is the README's backtest across five
# seeds (five backtests of 10000 particles, minutes under the sanitizers): the
# backtest's code runs here in the README's single-seed backtest.
ctest --test-dir build-asan -j2 --output-on-failure -LE mpi -E '^(Cases/Golden\.|CliReadme\.RollingBacktestAcrossSeedsIsCurrent$)'
# The MPI tests (label mpi) without leak detection: Open MPI's own
# allocations in MPI_Init_thread/MPI_Finalize are reported as leaks by
# LeakSanitizer (seen with a three-line MPI program, no mfgsim code).
# Memory errors and undefined behaviour are still checked there.
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" ctest --test-dir build-asan -j2 --output-on-failure -L mpi
