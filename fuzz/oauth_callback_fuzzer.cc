// Fuzz target: the browser's return from Stripe Connect, GET /oauth/stripe/callback. The input
// is the Cookie header, a line feed, then the query string; the callback is read from them as the route does
// (http::ReadOAuthCallback), and the page answering it is rendered both ways: Stripe's error
// and its description (echoed to the user, as OAuthService::Complete words them), and a
// success naming what came back. Nothing from the input may reach the page as markup: the page
// has as many markup characters as the same page made from the input without any.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/http_server.h"
#include "common/utf8.h"
#include "fuzz/fuzz_check.h"
#include "http/oauth_callback_page.h"

namespace {

using namespace stripeline;

std::string Failed(const integrations::OAuthCallback& callback) {
  const std::string reason = callback.error_description.empty() ? callback.error
                                                                : callback.error_description;
  HttpResponse page = http::OAuthCallbackPage(Status::InvalidArgument(
      "Stripe did not authorize the connection: " + reason + " (" + callback.error +
          "). Nothing was saved.",
      callback.error));
  FUZZ_CHECK(page.status == 400);
  return page.body;
}

std::string Added(const integrations::OAuthCallback& callback) {
  integrations::Saved saved;
  saved.message = "Integration added";
  saved.integration.id = callback.state;
  saved.integration.name = callback.code;
  saved.integration.stripe_account_id = callback.error;
  saved.integration.stripe_account_name = callback.error_description;
  HttpResponse page = http::OAuthCallbackPage(saved);
  FUZZ_CHECK(page.status == 200);
  return page.body;
}

size_t Markup(const std::string& page) {
  return std::count_if(page.begin(), page.end(),
                       [](char c) { return c == '<' || c == '>' || c == '"' || c == '\''; });
}

std::string WithoutMarkup(std::string text) {
  for (char& c : text) {
    if (c == '<' || c == '>' || c == '"' || c == '\'') c = '_';
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [cookie, query] = fuzz::FirstLineAndRest(data, size);
  HttpRequest request = MakeHttpRequest("GET", "/oauth/stripe/callback?" + query,
                                        {{"Cookie", cookie}}, "", "127.0.0.1");
  const integrations::OAuthCallback callback = http::ReadOAuthCallback(request);
  FUZZ_CHECK(IsValidUtf8(callback.error) && IsValidUtf8(callback.error_description));

  integrations::OAuthCallback plain = callback;
  for (std::string* field : {&plain.state, &plain.code, &plain.error, &plain.error_description}) {
    *field = WithoutMarkup(*field);
  }
  FUZZ_CHECK(Markup(Failed(callback)) == Markup(Failed(plain)));
  FUZZ_CHECK(Markup(Added(callback)) == Markup(Added(plain)));
  return 0;
}
