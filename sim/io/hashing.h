// SHA-256 digests (OpenSSL): file hashes in the manifest, scenario stream keys.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mfgsim {

std::array<std::uint8_t, 32> sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);
// Hex digest of a file's contents; throws std::runtime_error if unreadable.
std::string sha256_file_hex(const std::string& path);

// A stable 64-bit key for a name (first 8 bytes of its SHA-256): the second
// half of the Philox key of a design's stream ("lhs:<sweep>", "sobol:<sweep>",
// "sobol"), so designs drawn from one seed are independent. The model's own
// streams are keyed by the seed alone (kModelStreamKey, sim/core/random_stream.h).
std::uint64_t scenario_stream_key(const std::string& scenario_name);

}  // namespace mfgsim
