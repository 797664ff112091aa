#include "sim/io/hashing.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <stdexcept>


namespace mfgsim {

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  std::array<std::uint8_t, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : sha256(bytes)) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return sha256_hex(content.str());
}

std::uint64_t scenario_stream_key(const std::string& scenario_name) {
  const auto digest = sha256(scenario_name);
  std::uint64_t key = 0;
  for (int k = 0; k < 8; ++k) key = (key << 8) | digest[k];
  return key;
}

}  // namespace mfgsim
