// Fuzz target: a webhook delivery. The input is a Stripe-Signature header, a line feed, then the
// raw body: the header is verified against a signing secret as the intake does (and must
// be refused without naming the secret unless it really is the body's signature), the body
// signed correctly must always verify, and the body is parsed as a Stripe event
// (sync::ParseWebhookEvent). The header is also taken for a pasted secret: validated, masked.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "stripe/webhook_signature.h"
#include "sync/webhook_intake.h"

namespace {

using namespace stripeline;

constexpr char kSecret[] = "whsec_fuzzfuzzfuzzfuzzfuzzfuzz0123";
constexpr int64_t kNow = 1'700'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [header, payload] = fuzz::FirstLineAndRest(data, size);
  const std::vector<std::string> secrets{kSecret};

  Status verified = stripe::VerifyWebhookSignature(payload, header, secrets, kNow);
  FUZZ_CHECK(verified.message().find(kSecret) == std::string::npos);
  (void)stripe::VerifyWebhookSignature(payload, std::nullopt, secrets, kNow);

  if (!payload.empty()) {
    const std::string signed_header = stripe::WebhookSignatureHeader(kSecret, kNow - 60, payload);
    FUZZ_CHECK(stripe::VerifyWebhookSignature(payload, signed_header, secrets, kNow).ok());
    // Rolled secrets: the second one signs.
    FUZZ_CHECK(stripe::VerifyWebhookSignature(payload, signed_header, {"whsec_old0123456789abcdef", kSecret}, kNow).ok());
  }

  Result<sync::WebhookEvent> event = sync::ParseWebhookEvent(payload);
  if (event.ok()) {
    FUZZ_CHECK(!event->event_id.empty() && !event->type.empty());
    FUZZ_CHECK(event->payload == payload);
  }

  FUZZ_CHECK(!fuzz::Echoes(
      [](const std::string& s) { return stripe::ValidateWebhookSecret(s).message(); }, header));
  FUZZ_CHECK(!fuzz::Echoes(stripe::MaskWebhookSecret, header));
  return 0;
}
