#include "sim/batch/batch_record.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>
#include <type_traits>

#include "sim/io/csv.h"
#include "sim/io/hashing.h"
#include "sim/scenario/schema.h"

namespace mfgsim {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'M', 'F', 'G', 'S', 'R', 'E', 'C', '3'};  // 2: with failures, 3: mean_se
constexpr std::size_t kDigest = 32;

class Writer {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.append(p, sizeof(T));
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes_ += s;
  }
  void put_doubles(const double* values, std::size_t n) {
    put<std::uint64_t>(n);
    bytes_.append(reinterpret_cast<const char*>(values), n * sizeof(double));
  }
  void put_cells(const std::vector<CellSummary>& cells) {
    put<std::uint64_t>(cells.size());
    for (const CellSummary& c : cells) {
      put<std::uint8_t>(c.defined ? 1 : 0);
      put(c.mean);
      put(c.mean_se);
      for (double q : c.quantiles) put(q);
    }
  }
  std::string finish() {
    const auto digest = sha256(bytes_);
    bytes_.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    return std::move(bytes_);
  }

 private:
  std::string bytes_;
};

// Reads what Writer wrote; every read is bounds-checked.
class Reader {
 public:
  Reader(const std::string& bytes, std::size_t end, const std::string& what) : bytes_(bytes), end_(end), what_(what) {}
  template <class T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::string get_string() {
    const auto n = count(1);
    return std::string(take(n), n);
  }
  std::vector<double> get_doubles() {
    const auto n = count(sizeof(double));
    std::vector<double> values(n);
    if (n) std::memcpy(values.data(), take(n * sizeof(double)), n * sizeof(double));
    return values;
  }
  std::vector<CellSummary> get_cells() {
    const auto n = count(1 + 7 * sizeof(double));
    std::vector<CellSummary> cells(n);
    for (CellSummary& c : cells) {
      c.defined = get<std::uint8_t>() != 0;
      c.mean = get<double>();
      c.mean_se = get<double>();
      for (double& q : c.quantiles) q = get<double>();
    }
    return cells;
  }
  bool done() const { return at_ == end_; }
  [[noreturn]] void fail(const std::string& why) const { throw std::runtime_error(what_ + ": " + why); }

 private:
  // An element count, checked against the bytes left before anything is allocated.
  std::size_t count(std::size_t element_bytes) {
    const auto n = get<std::uint64_t>();
    if (n > (end_ - at_) / element_bytes) fail("damaged record (a length runs past its end)");
    return static_cast<std::size_t>(n);
  }
  const char* take(std::size_t n) {
    if (n > end_ - at_) fail("damaged record (truncated)");
    const char* p = bytes_.data() + at_;
    at_ += n;
    return p;
  }
  const std::string& bytes_;
  std::size_t end_, at_ = 0;
  std::string what_;  // a copy: callers pass temporaries (path.string())
};

struct Header {
  std::string fingerprint, name;
  std::uint64_t index = 0;
  RecordPart part;
};

// Reads the header's fields after the magic; the reader then stands at the body.
Header read_header_fields(Reader& in) {
  in.get<std::array<char, sizeof(kMagic)>>();
  Header h;
  h.fingerprint = in.get_string();
  h.index = in.get<std::uint64_t>();
  h.name = in.get_string();
  h.part.first = in.get<std::int64_t>();
  h.part.count = in.get<std::int64_t>();
  return h;
}

// Checks magic and digest, reads the header; the reader then stands at the body.
Header read_header(Reader& in, const std::string& bytes) {
  if (bytes.size() < sizeof(kMagic) + kDigest || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    in.fail("not an mfgsim scenario record");
  const std::size_t body = bytes.size() - kDigest;
  const auto digest = sha256(std::string_view(bytes.data(), body));
  if (std::memcmp(digest.data(), bytes.data() + body, kDigest) != 0) in.fail("damaged record (digest mismatch)");
  return read_header_fields(in);
}

void check_header(const Header& h, const Reader& in, const std::string& fingerprint, const Batch& batch,
                  std::size_t index) {
  if (h.fingerprint != fingerprint)
    in.fail("a record of another batch, other options or another mfgsim version (fingerprint " +
            h.fingerprint.substr(0, 12) + ", expected " + fingerprint.substr(0, 12) + ")");
  if (h.index != index || index >= batch.entries.size() || h.name != batch.entries[index].scenario.name)
    in.fail("record of scenario " + std::to_string(h.index) + " (" + h.name + "), expected " + std::to_string(index));
  const std::int64_t members = batch.entries[index].scenario.ensemble.members;
  const bool whole = h.part.first == 0 && h.part.count == -1;
  if (!whole && (h.part.first < 0 || h.part.count < 1 || h.part.first > members - h.part.count))
    in.fail("damaged record (members " + std::to_string(h.part.first) + " + " + std::to_string(h.part.count) + ")");
}

// The members a checked header's record holds.
RecordPart members_of(const Header& h, const Batch& batch, std::size_t index) {
  if (h.part.count == -1) return {0, batch.entries[index].scenario.ensemble.members};
  return h.part;
}

}  // namespace

std::string batch_fingerprint(const Batch& batch, const BatchRunOptions& options) {
  nlohmann::json j;
  j["version"] = MFGSIM_VERSION;
  j["batch"] = batch.document;
  for (const nlohmann::json& file : batch_input_hashes(batch)) j["files"].push_back(file.at("sha256"));
  for (const BatchEntry& e : batch.entries) {
    const Scenario& s = e.scenario;
    nlohmann::json values = nlohmann::json::array();
    for (double v : e.values) values.push_back(format_number(v));
    j["scenarios"].push_back({{"name", s.name},
                              {"resolved", s.resolved},
                              {"source", e.source},
                              {"sweep", e.sweep},
                              {"sample", e.sample},
                              {"values", values},
                              {"members", s.ensemble.members},
                              {"seed", s.ensemble.seed},
                              {"stochastic", s.ensemble.stochastic},
                              {"outputs", s.outputs}});
  }
  j["keep_members"] = options.keep_members;
  j["summary_bytes"] = options.summary_bytes;
  j["block_size"] = options.block_size;
  return sha256_hex(j.dump());
}

nlohmann::json batch_input_hashes(const Batch& batch) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto* list : {&batch.files, &batch.data_files})
    for (const std::string& file : *list)
      inputs.push_back({{"path", file},
                        {"absolute", fs::absolute(file).lexically_normal().string()},
                        {"sha256", sha256_file_hex(file)}});
  return inputs;
}

std::string changed_inputs(const nlohmann::json& then, const nlohmann::json& now,
                                        std::string_view then_label, std::string_view now_label) {
  std::map<std::string, std::pair<std::string, std::string>> files;  // absolute path -> (shown path, sha256)
  for (const nlohmann::json& f : now) files[f.at("absolute")] = {f.at("path"), f.at("sha256")};
  std::vector<std::string> changed;
  const auto short_hash = [](const std::string& h) { return h.substr(0, 8) + "..."; };
  for (const nlohmann::json& f : then) {
    const std::string path = f.at("path"), hash = f.at("sha256");
    const auto it = files.find(f.at("absolute"));
    if (it == files.end()) {
      changed.push_back(fmt::format("{} (read {}, not {})", path, then_label, now_label));
      continue;
    }
    if (it->second.second != hash)
      changed.push_back(fmt::format("{} (sha256 {} {}, {} {})", path, short_hash(hash), then_label,
                                    short_hash(it->second.second), now_label));
    files.erase(it);
  }
  for (const auto& [absolute, file] : files)
    changed.push_back(fmt::format("{} (read {}, not {})", file.first, now_label, then_label));
  return fmt::format("{}", fmt::join(changed, "; "));
}

std::string encode_record(const std::string& fingerprint, std::size_t index, const std::string& name,
                          const EnsembleResult& result, std::optional<RecordPart> part) {
  Writer out;
  for (char c : kMagic) out.put(c);
  out.put_string(fingerprint);
  out.put<std::uint64_t>(index);
  out.put_string(name);
  // -1: every member of the scenario (checked against the batch on decoding).
  out.put<std::int64_t>(part ? part->first : 0);
  out.put<std::int64_t>(part ? part->count : -1);
  const SummaryTable* summary = result.summary.get();
  out.put<std::uint8_t>(summary ? 1 : 0);
  if (summary) {
    out.put<std::uint8_t>(summary->exact ? 1 : 0);
    out.put(summary->accuracy);
    out.put_cells(summary->sector);
    out.put_cells(summary->aggregate);
  }
  out.put_doubles(result.kept.data(), result.kept.size());
  out.put<std::uint64_t>(result.failures.size());
  for (const MemberFailure& f : result.failures) {
    out.put(f.member);
    out.put_string(f.variable);
    out.put_string(f.sector);
    out.put<std::int32_t>(f.month);
    out.put(f.value);
    out.put_string(f.message);
  }
  const SeriesStore* store = result.store.get();
  out.put<std::uint8_t>(store ? 1 : 0);
  if (store) {
    out.put<std::int64_t>(store->members());
    out.put_doubles(store->data(), store->size());
  }
  return out.finish();
}

EnsembleResult decode_record(const std::string& bytes, const std::string& fingerprint, const Batch& batch,
                             std::size_t index, const std::string& what, RecordPart* part) {
  Reader in(bytes, bytes.size() < kDigest ? 0 : bytes.size() - kDigest, what);
  const Header header = read_header(in, bytes);
  check_header(header, in, fingerprint, batch, index);
  const RecordPart members = members_of(header, batch, index);
  if (part) *part = members;
  else if (header.part.count != -1) in.fail("a record of members " + std::to_string(members.first) + " + " +
                                            std::to_string(members.count) + ", not of the whole scenario");
  EnsembleResult result;
  if (in.get<std::uint8_t>()) {
    result.summary = std::make_unique<SummaryTable>();
    result.summary->exact = in.get<std::uint8_t>() != 0;
    result.summary->accuracy = in.get<double>();
    result.summary->sector = in.get_cells();
    result.summary->aggregate = in.get_cells();
  }
  result.kept = in.get_doubles();
  const std::uint64_t failures = in.get<std::uint64_t>();
  if (failures > static_cast<std::uint64_t>(members.count))
    in.fail("damaged record (failure count)");
  for (std::uint64_t k = 0; k < failures; ++k) {
    MemberFailure f;
    f.member = in.get<std::int64_t>();
    f.variable = in.get_string();
    f.sector = in.get_string();
    f.month = in.get<std::int32_t>();
    f.value = in.get<double>();
    f.message = in.get_string();
    result.failures.push_back(std::move(f));
  }
  if (in.get<std::uint8_t>()) {
    const Scenario& s = batch.entries[index].scenario;
    if (in.get<std::int64_t>() != members.count) in.fail("damaged record (member count)");
    result.store = std::make_unique<SeriesStore>(s.calendar, s.params.sectors, members.count);
    const std::vector<double> values = in.get_doubles();
    if (values.size() != result.store->size()) in.fail("damaged record (store size)");
    std::memcpy(result.store->data(), values.data(), values.size() * sizeof(double));
  }
  if (!in.done()) in.fail("damaged record (trailing bytes)");
  return result;
}

RecordHeader record_header(const std::string& bytes, const std::string& what) {
  Reader in(bytes, bytes.size() < kDigest ? 0 : bytes.size() - kDigest, what);
  const Header h = read_header(in, bytes);
  return {static_cast<std::size_t>(h.index), h.part};
}

fs::path record_path(const fs::path& dir, std::size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "%08zu.rec", index);
  return dir / name;
}

void write_record_file(const fs::path& dir, std::size_t index, const std::string& bytes) {
  const fs::path path = record_path(dir, index);
  fs::path temp = path;
  temp += ".tmp-" + std::to_string(::getpid());
  // POSIX calls, not a stream: the errno of the failing write (ENOSPC,
  // EFBIG) reaches the message.
  auto fail = [&](int error) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw std::runtime_error("cannot write " + temp.string() + ": " + std::strerror(error));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(errno);
  for (std::size_t at = 0; at < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      fail(error);
    }
    at += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && errno != EINTR) fail(errno);
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
}

std::string read_record_file(const fs::path& dir, std::size_t index) {
  std::string bytes;
  const fs::path path = record_path(dir, index);
  if (!read_text_file(path.string(), &bytes)) throw std::runtime_error("cannot read " + path.string());
  return bytes;
}

std::size_t count_records_of(const fs::path& dir, const std::string& fingerprint, const Batch& batch) {
  // The header is at the front: a prefix of each file is read, not the
  // whole record, and the digest is left to scan_records.
  constexpr std::size_t kPrefix = 64 << 10;
  std::size_t matching = 0;
  std::error_code ec;
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    const fs::path path = record_path(dir, k);
    if (!fs::exists(path, ec)) continue;
    std::ifstream file(path, std::ios::binary);
    std::string bytes(kPrefix, '\0');
    file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(file.gcount()));
    const auto whole_record_matches = [&](const std::string& b) {
      if (b.size() < sizeof(kMagic) || std::memcmp(b.data(), kMagic, sizeof(kMagic)) != 0) return false;
      try {
        Reader in(b, b.size(), path.string());
        const Header h = read_header_fields(in);
        check_header(h, in, fingerprint, batch, k);
        return h.part.count == -1;
      } catch (const std::runtime_error&) {
        return false;
      }
    };
    bool matches = whole_record_matches(bytes);
    // A header longer than the prefix (a very long scenario name): the whole file.
    if (!matches && bytes.size() == kPrefix && read_text_file(path.string(), &bytes))
      matches = whole_record_matches(bytes);
    matching += matches ? 1 : 0;
  }
  return matching;
}

std::vector<bool> scan_records(const fs::path& dir, const std::string& fingerprint, const Batch& batch,
                               bool remove_bad) {
  std::vector<bool> done(batch.entries.size(), false);
  std::error_code ec;
  for (std::size_t k = 0; k < batch.entries.size(); ++k) {
    const fs::path path = record_path(dir, k);
    if (!fs::exists(path, ec)) continue;
    std::string bytes;
    bool ok = read_text_file(path.string(), &bytes);
    if (ok) {
      try {
        Reader in(bytes, bytes.size() < kDigest ? 0 : bytes.size() - kDigest, path.string());
        const Header h = read_header(in, bytes);
        check_header(h, in, fingerprint, batch, k);
        if (h.part.count != -1) ok = false;  // a checkpoint holds whole scenarios only
      } catch (const std::runtime_error&) {
        ok = false;
      }
    }
    if (ok) done[k] = true;
    else if (remove_bad) fs::remove(path, ec);
  }
  return done;
}

}  // namespace mfgsim
