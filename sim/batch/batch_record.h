// One scenario's result of a batch as bytes: what a checkpoint keeps per
// finished scenario (--resume), what a shard folder holds (mfgsim merge) and
// what an MPI rank sends to rank 0. Every path to a batch's result files goes
// through these records, so a resumed, sharded or MPI run writes the same
// bytes as a single-process run.
//
// A record holds the summary table, the kept headline member values and,
// with --keep-members, the whole series store, in the machine's byte order
// (records are exchanged between runs of one build on one kind of machine;
// the magic and the digest reject anything else). It carries the batch's
// fingerprint, so a record of another batch, of other options or of another
// mfgsim version is never mixed in.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/batch/batch.h"

namespace mfgsim {

// SHA-256 (hex) of everything that decides a batch's numbers: the mfgsim
// version, the resolved batch document, the contents of every file read,
// every scenario's resolved settings after command-line overrides, and the
// run options that change results (keep_members, summary_bytes, block_size).
// Thread and process counts are not part of it: they do not change results.
std::string batch_fingerprint(const Batch& batch, const BatchRunOptions& options);

// Every file a batch run reads (the batch file, its scenario files with their
// `extends` chains, the data tables) as [{"path", "absolute", "sha256"}]:
// kept in shard.json and in the checkpoint, so that merge and --resume can
// name the file that changed since (changed_inputs).
nlohmann::json batch_input_hashes(const Batch& batch);
// The files of `then` (batch_input_hashes of an earlier run) whose contents
// differ in `now`, or that one of them read and the other did not, each as
// "PATH (sha256 1a2b3c4d... then, 5e6f7a8b... now)" with the labels given,
// joined by "; "; empty if none.
std::string changed_inputs(const nlohmann::json& then, const nlohmann::json& now,
                                        std::string_view then_label = "then", std::string_view now_label = "now");

// Members [first, first + count) of a scenario's ensemble; a whole
// scenario's record has first 0 and count its members.
struct RecordPart {
  std::int64_t first = 0, count = 0;
};

// `part`: the members the result holds (default: all of the scenario's).
std::string encode_record(const std::string& fingerprint, std::size_t index, const std::string& name,
                          const EnsembleResult& result, std::optional<RecordPart> part = std::nullopt);

// Decodes a record of batch.entries[index]; throws std::runtime_error naming
// `what` (a file, a rank) when it is damaged, of another batch or of another
// scenario. A part of a scenario's members is accepted only with `part`
// (set to the members the record holds).
EnsembleResult decode_record(const std::string& bytes, const std::string& fingerprint, const Batch& batch,
                             std::size_t index, const std::string& what, RecordPart* part = nullptr);

// The scenario index a record names and the members it holds (count -1:
// all), after checking its digest; throws like decode_record.
struct RecordHeader {
  std::size_t index = 0;
  RecordPart part;
};
RecordHeader record_header(const std::string& bytes, const std::string& what);

// Record files in a folder: NNNNNNNN.rec by scenario index, each written to a
// temporary name and renamed, so a kill leaves whole records or none.
std::filesystem::path record_path(const std::filesystem::path& dir, std::size_t index);
void write_record_file(const std::filesystem::path& dir, std::size_t index, const std::string& bytes);
std::string read_record_file(const std::filesystem::path& dir, std::size_t index);

// How many of `dir`'s records hold a whole scenario of this batch computed
// with this fingerprint (options), by their headers alone: quick, for
// checking a --resume before any work; their digests are checked by
// scan_records when they are used.
std::size_t count_records_of(const std::filesystem::path& dir, const std::string& fingerprint, const Batch& batch);

// Indices of `dir`'s records that decode with this fingerprint (damaged or
// foreign records are skipped, and removed when `remove_bad`).
std::vector<bool> scan_records(const std::filesystem::path& dir, const std::string& fingerprint, const Batch& batch,
                               bool remove_bad);

}  // namespace mfgsim
