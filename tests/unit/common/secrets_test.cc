#include "common/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

namespace stripeline {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("stripeline_secrets_test_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string TestKey(char fill = 'k') { return std::string(kMasterKeyBytes, fill); }

TEST(Base64, RoundTripsAndUsesPadding) {
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64Encode(""), "");
  const std::string binary("\x00\xff\x10\x80", 4);
  Result<std::string> decoded = Base64Decode(Base64Encode(binary));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, binary);
}

TEST(Base64, RejectsInvalidText) {
  EXPECT_FALSE(Base64Decode("not base64!").ok());
  EXPECT_FALSE(Base64Decode("aGVsbG8").ok());     // missing padding
  EXPECT_FALSE(Base64Decode("aGVsbG8=x").ok());   // trailing garbage
}

TEST(SecretBox, RoundTrip) {
  SecretBox box(TestKey());
  Result<std::string> sealed = box.Seal("sk_test_123", "int_a");
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->starts_with("v1:"));
  EXPECT_EQ(sealed->find("sk_test_123"), std::string::npos);
  Result<std::string> opened = box.Open(*sealed, "int_a");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "sk_test_123");
}

TEST(SecretBox, RoundTripEmptyPlaintext) {
  SecretBox box(TestKey());
  Result<std::string> sealed = box.Seal("", "int_a");
  ASSERT_TRUE(sealed.ok());
  Result<std::string> opened = box.Open(*sealed, "int_a");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "");
}

TEST(SecretBox, SealUsesFreshNonces) {
  SecretBox box(TestKey());
  EXPECT_NE(*box.Seal("same", "ad"), *box.Seal("same", "ad"));
}

TEST(SecretBox, OpenDetectsTampering) {
  SecretBox box(TestKey());
  std::string blob = *Base64Decode(box.Seal("secret", "int_a")->substr(3));
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string tampered = blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> opened = box.Open("v1:" + Base64Encode(tampered), "int_a");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
    EXPECT_EQ(opened.status().error_code(), "secret_decrypt_failed");
  }
}

TEST(SecretBox, OpenFailsWithOtherAssociatedData) {
  SecretBox box(TestKey());
  Result<std::string> sealed = box.Seal("secret", "int_a");
  Result<std::string> opened = box.Open(*sealed, "int_b");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().error_code(), "secret_decrypt_failed");
}

TEST(SecretBox, OpenFailsWithWrongKey) {
  SecretBox box(TestKey('a'));
  SecretBox other(TestKey('b'));
  Result<std::string> opened = other.Open(*box.Seal("secret", "int_a"), "int_a");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().error_code(), "secret_decrypt_failed");
}

TEST(SecretBox, OpenRejectsMalformedText) {
  SecretBox box(TestKey());
  for (const char* text : {"", "v2:abcd", "v1:", "v1:!!!", "v1:aGVsbG8=", "plain"}) {
    Result<std::string> opened = box.Open(text, "int_a");
    ASSERT_FALSE(opened.ok()) << text;
    EXPECT_EQ(opened.status().error_code(), "secret_decrypt_failed") << text;
  }
}

TEST(MasterKey, CreatesFileWithMode0600AndReusesIt) {
  TempDir dir;
  const fs::path data_dir = dir.path() / "nested" / "data";
  Result<std::string> first = LoadOrCreateMasterKey(data_dir.string(), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), kMasterKeyBytes);

  struct stat st {};
  ASSERT_EQ(::stat((data_dir / "master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  Result<std::string> second = LoadOrCreateMasterKey(data_dir.string(), std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);

  // A secret sealed under the first key opens under the reloaded one.
  SecretBox a(*first);
  SecretBox b(*second);
  EXPECT_EQ(*b.Open(*a.Seal("x", "ad"), "ad"), "x");
}

TEST(MasterKey, EnvOverrideInBase64) {
  TempDir dir;
  const std::string key = TestKey('z');
  Result<std::string> loaded = LoadOrCreateMasterKey(dir.path().string(), Base64Encode(key));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, key);
  EXPECT_FALSE(fs::exists(dir.path() / "master.key"));
}

TEST(MasterKey, EnvOverrideInHex) {
  TempDir dir;
  const std::string hex(64, 'a');  // 32 bytes of 0xaa
  Result<std::string> loaded = LoadOrCreateMasterKey(dir.path().string(), hex + "\n");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, std::string(kMasterKeyBytes, '\xaa'));
  Result<std::string> upper = LoadOrCreateMasterKey(dir.path().string(), std::string(64, 'A'));
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, *loaded);
}

TEST(MasterKey, BadEnvValueIsInvalidArgument) {
  TempDir dir;
  for (const std::string& bad :
       {std::string(""), std::string("short"), Base64Encode(std::string(16, 'x')),
        std::string(63, 'a'), std::string(64, 'g')}) {
    Result<std::string> loaded = LoadOrCreateMasterKey(dir.path().string(), bad);
    ASSERT_FALSE(loaded.ok()) << bad;
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(loaded.status().message().find("STRIPELINE_MASTER_KEY"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "master.key"));
}

TEST(MasterKey, CorruptFileIsRefusedAndKept) {
  TempDir dir;
  const fs::path file = dir.path() / "master.key";
  for (const std::string& content :
       {std::string("garbage\n"), Base64Encode(std::string(31, 'x')) + "\n", std::string()}) {
    { std::ofstream(file, std::ios::trunc) << content; }
    Result<std::string> loaded = LoadOrCreateMasterKey(dir.path().string(), std::nullopt);
    ASSERT_FALSE(loaded.ok()) << content;
    EXPECT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
    std::ifstream in(file);
    std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(kept, content);
  }
}

TEST(Password, HashVerifiesAndRejects) {
  Result<std::string> hash = HashPassword("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("", "correct horse"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse"));
  EXPECT_NE(*HashPassword("correct horse"), *hash);  // salted
}

TEST(Hmac, MatchesRfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Hmac, AcceptsKeysLongerThanTheBlock) {
  // RFC 4231 test case 6: a 131-byte key is hashed first.
  EXPECT_EQ(HmacSha256Hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Sha256, MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(RandomToken, HasPrefixAndUrlSafeBody) {
  const std::string token = RandomToken("slt_");
  ASSERT_TRUE(token.starts_with("slt_"));
  const std::string body = token.substr(4);
  EXPECT_EQ(body.size(), 32u);  // 24 bytes, unpadded
  for (char c : body) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  }
  EXPECT_NE(RandomToken("slt_"), token);
  EXPECT_EQ(RandomToken("x", 3).size(), 1u + 4u);
}

TEST(NewId, HasPrefixAndTwentyLowercaseAlphanumerics) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewId("int");
    ASSERT_EQ(id.size(), 4u + 20u);
    ASSERT_TRUE(id.starts_with("int_"));
    for (char c : id.substr(4)) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << c;
    }
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace stripeline
