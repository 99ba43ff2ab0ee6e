#include "http/oauth_callback_page.h"

#include "http/api.h"
#include "http/status_mapping.h"
#include "http/web_assets.h"

namespace stripeline::http {

namespace {

// The callback's page, in the web app's look: its stylesheet and icon, under the app's own
// Content-Security-Policy (no inline script or style), and a link back into the app.
HttpResponse Page(int status, const std::string& title, const std::string& body,
                  const std::string& link_href, const std::string& link_text) {
  HttpResponse response = HttpResponse::Text(
      status,
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" + HtmlEscape(title) + " · Stripeline</title>"
      "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">"
      "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body>\n"
      "<header class=\"topbar\"><a class=\"brand\" href=\"/\"><img src=\"/assets/icon.svg\" "
      "alt=\"\" width=\"24\" height=\"24\"> Stripeline</a></header>\n"
      "<main id=\"main\"><section class=\"card\">\n<h1>" + HtmlEscape(title) + "</h1>\n" + body +
      "\n<div class=\"actions\"><a class=\"button\" id=\"back\" href=\"" +
      HtmlEscape(link_href) + "\">" + HtmlEscape(link_text) + "</a></div>\n"
      "</section></main>\n</body></html>\n",
      "text/html; charset=utf-8");
  // The page names an account: no framing, no inline scripts (the app's own policy).
  response.SetHeader("Content-Security-Policy", kWebContentSecurityPolicy);
  return response;
}

}  // namespace

HttpResponse OAuthCallbackPage(const Result<integrations::Saved>& outcome) {
  if (outcome.ok()) {
    const store::Integration& integration = outcome->integration;
    return Page(200, outcome->message,
                "<p id=\"result\" data-integration-id=\"" + HtmlEscape(integration.id) +
                    "\">Stripe account <strong>" + HtmlEscape(integration.stripe_account_id) +
                    "</strong>" +
                    (integration.stripe_account_name.empty()
                         ? std::string()
                         : " (" + HtmlEscape(integration.stripe_account_name) + ")") +
                    " is connected as integration “" + HtmlEscape(integration.name) + "”.</p>",
                "/#/integrations/" + integration.id, "Open the integration");
  }
  const Status& status = outcome.status();
  // Refused states, denials and Stripe's OAuth errors are all about the request that came back.
  int http = status.code() == StatusCode::kInvalidArgument ? 400 : HttpStatusFor(status);
  std::string message = status.code() == StatusCode::kInternal
                            ? "Internal error; see the server log."
                            : status.message();
  return Page(http, "Stripe connection failed",
              "<p id=\"error\" class=\"form-error\" data-error=\"" +
                  HtmlEscape(status.error_code()) + "\">" + HtmlEscape(message) + "</p>",
              "/#/integrations", "Back to External Integrations");
}

integrations::OAuthCallback ReadOAuthCallback(const HttpRequest& request) {
  return integrations::OAuthCallback{
      .state = request.Query("state").value_or(""),
      .code = request.Query("code").value_or(""),
      .error = request.Query("error").value_or(""),
      .error_description = request.Query("error_description").value_or(""),
      .binding = CookieValue(request, kBindingCookie)};
}

}  // namespace stripeline::http
