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

// A stable 64-bit key for a scenario name (first 8 bytes of its SHA-256), so
// that scenarios of a batch draw independent streams from one seed.
std::uint64_t scenario_stream_key(const std::string& scenario_name);

}  // namespace mfgsim
