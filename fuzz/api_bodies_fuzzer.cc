// Fuzz target: an API request's JSON body. The body is parsed as every route parses it
// (ParseJsonObject), read by every route's reader (http/request_bodies.h, and the single fields
// the other routes take), and the values go through the pure checks the services run on them:
// names, Stripe keys, webhook secrets, e-mail addresses, dashboard widgets, report periods and
// metric options. Secrets must never come back in an error message or a mask.
#include <boost/json.hpp>

#include <cstdint>
#include <string>

#include "access/user_service.h"
#include "common/names.h"
#include "fuzz/fuzz_check.h"
#include "http/json_body.h"
#include "http/request_bodies.h"
#include "reports/metrics_service.h"
#include "reports/time_range.h"
#include "reports/views.h"
#include "stripe/api_key.h"
#include "stripe/webhook_signature.h"

namespace {

using namespace stripeline;

void CheckKey(const std::string& key) {
  FUZZ_CHECK(!fuzz::Echoes(
      [](const std::string& k) {
        Result<stripe::ApiKeyInfo> info = stripe::ClassifyApiKey(k);
        return info.ok() ? std::string() : info.status().message();
      },
      key));
  FUZZ_CHECK(!fuzz::Echoes(stripe::MaskKey, key));
}

void CheckWebhookSecret(const std::string& secret) {
  FUZZ_CHECK(!fuzz::Echoes(
      [](const std::string& s) { return stripe::ValidateWebhookSecret(s).message(); }, secret));
  FUZZ_CHECK(!fuzz::Echoes(stripe::MaskWebhookSecret, secret));
}

void CheckName(const std::string& name) {
  Result<std::string> clean = CleanName(name, "client");
  if (clean.ok()) FUZZ_CHECK(!clean->empty() && clean->size() <= name.size());
}

// The string field `name` of `body`, or "".
std::string Text(const boost::json::object& body, const char* name) {
  auto value = http::OptionalString(body, name);
  return value.ok() && *value ? **value : "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<boost::json::object> parsed = http::ParseJsonObject(text);
  if (!parsed.ok()) return 0;
  const boost::json::object& body = *parsed;

  if (auto login = http::ReadLogin(body); login.ok()) {
    (void)access::NormalizeEmail(login->email);
  }
  if (auto user = http::ReadNewUser(body); user.ok()) {
    (void)access::NormalizeEmail(user->email);
  }
  (void)http::ReadUserUpdate(body);
  for (bool for_test : {false, true}) {
    if (auto added = http::ReadNewIntegration(body, for_test); added.ok()) {
      CheckName(added->name);
      CheckKey(added->secret_key);
    }
  }
  if (auto manual = http::ReadManualOAuth(body); manual.ok()) {
    CheckKey(manual->client_secret);
    CheckName(manual->name);
  }
  if (auto edit = http::ReadIntegrationEdit(body); edit.ok() && edit->secret_key) {
    CheckKey(*edit->secret_key);
  }
  if (auto secret = http::ReadWebhookSecretRequest(body); secret.ok() && secret->secret) {
    CheckWebhookSecret(*secret->secret);
  }
  if (auto settings = http::ReadConnectSettings(body); settings.ok()) {
    CheckKey(settings->secret_key);
  }
  if (auto start = http::ReadOAuthStart(body); start.ok()) CheckName(start->name);
  if (auto widgets = http::ReadDashboard(body); widgets.ok()) {
    for (const reports::Widget& widget : *widgets) CheckName(widget.title);
    boost::json::object dashboard = reports::DashboardJson("cli_fuzz", *widgets);
    (void)boost::json::serialize(dashboard);
  }
  // The routes that take one field: client name, member e-mail, token name and owner.
  CheckName(Text(body, "name"));
  (void)access::NormalizeEmail(Text(body, "email"));
  (void)access::NormalizeEmail(Text(body, "user_email"));

  // GET /api/v1/metrics/{metric}'s query, here from the body's strings.
  (void)reports::ParseMetricOptions([&body](std::string_view name) -> std::optional<std::string> {
    auto value = http::OptionalString(body, std::string(name).c_str());
    if (!value.ok()) return std::nullopt;
    return *value;
  });
  (void)reports::MakePeriod(Text(body, "from"), Text(body, "to"), Text(body, "interval"),
                            Text(body, "tz"));
  return 0;
}
