#include "stripe/webhook_signature.h"

#include <gtest/gtest.h>

namespace stripeline::stripe {
namespace {

constexpr char kSecret[] = "whsec_test_secret_0123456789abcdef";
constexpr char kOtherSecret[] = "whsec_other_secret_0123456789abcd";
constexpr char kPayload[] = R"({"id":"evt_test","object":"event"})";
constexpr int64_t kT = 1'700'000'000;
// `printf '%s' '1700000000.{"id":"evt_test","object":"event"}' |
//  openssl dgst -sha256 -hmac 'whsec_test_secret_0123456789abcdef'`: computed outside this code.
constexpr char kExpected[] = "d980a628188a8d0b394450a620835d9a52b1e87719437f6838a58e782035aa83";

std::string CodeOf(const Status& status) { return status.ok() ? "ok" : status.error_code(); }

Status Verify(std::string_view header, std::vector<std::string> secrets = {kSecret},
              int64_t now = kT, std::string_view payload = kPayload) {
  return VerifyWebhookSignature(payload, header, secrets, now);
}

TEST(WebhookSignature, MatchesAnIndependentlyComputedHmac) {
  EXPECT_EQ(ComputeWebhookSignature(kSecret, kT, kPayload), kExpected);
  EXPECT_EQ(WebhookSignatureHeader(kSecret, kT, kPayload),
            std::string("t=1700000000,v1=") + kExpected);
}

TEST(WebhookSignature, AcceptsAHeaderItSigned) {
  EXPECT_TRUE(Verify(WebhookSignatureHeader(kSecret, kT, kPayload)).ok());
}

TEST(WebhookSignature, RejectsAnEmptyPayload) {
  EXPECT_EQ(CodeOf(Verify(WebhookSignatureHeader(kSecret, kT, ""), {kSecret}, kT, "")),
            kWebhookEmptyPayload);
}

TEST(WebhookSignature, RejectsAMissingOrEmptyHeader) {
  EXPECT_EQ(CodeOf(VerifyWebhookSignature(kPayload, std::nullopt, {kSecret}, kT)),
            kWebhookMissingSignature);
  EXPECT_EQ(CodeOf(Verify("")), kWebhookMissingSignature);
  EXPECT_EQ(CodeOf(Verify("   ")), kWebhookMissingSignature);
}

TEST(WebhookSignature, RejectsUnparsableHeaders) {
  const std::string v1 = std::string("v1=") + kExpected;
  for (const std::string& header :
       {std::string("garbage"), v1,  // no t
        "t=abc," + v1, "t=," + v1, "t=12x," + v1, "t=1,t=2," + v1, "=1," + v1,
        "t=1700000000,,"+ v1, "t=1700000000;" + v1}) {
    EXPECT_EQ(CodeOf(Verify(header)), kWebhookUnparsableSignature) << header;
  }
}

TEST(WebhookSignature, RejectsAHeaderWithoutV1EvenWithAValidV0) {
  const std::string v0 = ComputeWebhookSignature(kSecret, kT, kPayload);
  EXPECT_EQ(CodeOf(Verify("t=1700000000,v0=" + v0)), kWebhookNoV1Signature);
  EXPECT_EQ(CodeOf(Verify("t=1700000000")), kWebhookNoV1Signature);
}

TEST(WebhookSignature, RejectsATamperedBodyWrongSecretOrMalformedSignature) {
  const std::string header = WebhookSignatureHeader(kSecret, kT, kPayload);
  EXPECT_EQ(CodeOf(Verify(header, {kSecret}, kT, R"({"id":"evt_test","object":"events"})")),
            kWebhookSignatureMismatch);
  EXPECT_EQ(CodeOf(Verify(header, {kOtherSecret})), kWebhookSignatureMismatch);
  EXPECT_EQ(CodeOf(Verify(header, {})), kWebhookSignatureMismatch);
  EXPECT_EQ(CodeOf(Verify("t=1700000000,v1=zz")), kWebhookSignatureMismatch);
  // The same signature claimed for another time does not match either.
  std::string shifted = "t=1700000001,v1=" + ComputeWebhookSignature(kSecret, kT, kPayload);
  EXPECT_EQ(CodeOf(Verify(shifted, {kSecret}, kT + 1)), kWebhookSignatureMismatch);
  // Upper-case hex is not what Stripe sends, but decodes to the same bytes.
  std::string upper = kExpected;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Verify("t=1700000000,v1=" + upper).ok());
}

TEST(WebhookSignature, AcceptsAnyV1UnderAnySecretWhileRolling) {
  const std::string old_sig = ComputeWebhookSignature(kOtherSecret, kT, kPayload);
  const std::string new_sig = ComputeWebhookSignature(kSecret, kT, kPayload);
  const std::string header = "t=1700000000,v1=" + old_sig + ", v1=" + new_sig + ",v0=ignored";
  EXPECT_TRUE(Verify(header, {kSecret}).ok());
  EXPECT_TRUE(Verify(header, {kOtherSecret}).ok());
  EXPECT_TRUE(Verify("t=1700000000,v1=" + old_sig, {kSecret, kOtherSecret}).ok());
  EXPECT_TRUE(Verify("scheme=x, t=1700000000 ,v1=" + new_sig).ok());  // unknown keys ignored
}

TEST(WebhookSignature, RejectsTimestampsOutsideTheToleranceEitherWay) {
  const std::string header = WebhookSignatureHeader(kSecret, kT, kPayload);
  EXPECT_TRUE(Verify(header, {kSecret}, kT + 300).ok());
  EXPECT_TRUE(Verify(header, {kSecret}, kT - 300).ok());
  EXPECT_EQ(CodeOf(Verify(header, {kSecret}, kT + 301)), kWebhookTimestampOutsideTolerance);
  EXPECT_EQ(CodeOf(Verify(header, {kSecret}, kT - 301)), kWebhookTimestampOutsideTolerance);
  EXPECT_TRUE(
      VerifyWebhookSignature(kPayload, header, {kSecret}, kT + 301, std::chrono::seconds(400))
          .ok());
}

TEST(WebhookSignature, AMismatchIsReportedBeforeTheTimestamp) {
  // A stale delivery with a wrong signature is a signature problem first (stripe-api.md §6).
  const std::string header = WebhookSignatureHeader(kOtherSecret, kT, kPayload);
  EXPECT_EQ(CodeOf(Verify(header, {kSecret}, kT + 10'000)), kWebhookSignatureMismatch);
}

TEST(WebhookSignature, MessagesNeverContainTheSecretOrSignature) {
  const std::string header = WebhookSignatureHeader(kOtherSecret, kT, kPayload);
  Status status = Verify(header);
  EXPECT_EQ(status.message().find("whsec_"), std::string::npos);
  EXPECT_EQ(status.message().find(ComputeWebhookSignature(kOtherSecret, kT, kPayload)),
            std::string::npos);
}

TEST(WebhookSecret, ValidatesPrefixLengthAndCharacters) {
  EXPECT_TRUE(ValidateWebhookSecret(kSecret).ok());
  EXPECT_TRUE(ValidateWebhookSecret("whsec_" + std::string(64, 'a')).ok());
  for (const std::string& bad :
       {std::string(""), std::string("sk_test_0123456789abcdef0123"), std::string("whsec_short"),
        "whsec_" + std::string(257, 'a'), std::string("whsec_0123456789 abcdef01234"),
        std::string(" whsec_0123456789abcdef01234")}) {
    Status status = ValidateWebhookSecret(bad);
    EXPECT_EQ(status.error_code(), "invalid_webhook_secret") << bad;
    if (bad.size() > 6) {
      EXPECT_EQ(status.message().find(bad), std::string::npos);
    }
  }
}

TEST(WebhookSecret, MasksAllButTheLastFour) {
  EXPECT_EQ(MaskWebhookSecret(kSecret), "whsec_...cdef");
  EXPECT_EQ(MaskWebhookSecret("whsec_abc"), "whsec_...");
}

}  // namespace
}  // namespace stripeline::stripe
