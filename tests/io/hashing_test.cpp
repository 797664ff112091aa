// sim/io/hashing.h: SHA-256 against the FIPS 180-2 test vectors.
#include "sim/io/hashing.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace mfgsim {
namespace {

constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Hashing, Fips180TestVectors) {
  EXPECT_EQ(sha256_hex("abc"), kAbc);
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  const auto digest = sha256("abc");
  EXPECT_EQ(digest[0], 0xba);
  EXPECT_EQ(digest[31], 0xad);
}

TEST(Hashing, FileDigestAndUnreadableFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("mfgsim_hashing_" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(sha256_file_hex(path.string()), kAbc);
  std::filesystem::remove(path);
  EXPECT_THROW(sha256_file_hex(path.string()), std::runtime_error);
}

// The first eight bytes of SHA-256(name), big-endian.
TEST(Hashing, ScenarioStreamKeyIsTheDigestHead) {
  EXPECT_EQ(scenario_stream_key("abc"), 0xba7816bf8f01cfeaull);
  EXPECT_EQ(scenario_stream_key(""), 0xe3b0c44298fc1c14ull);
}

}  // namespace
}  // namespace mfgsim
