// Stripe Connect OAuth: the platform settings (/api/v1/settings/stripe-connect), starting an
// authorization (/api/v1/oauth/stripe/start) and the browser callback (/oauth/stripe/callback),
// which answers a small server-rendered page: "Integration added", or what went wrong.
#include <boost/json.hpp>

#include "http/api.h"
#include "http/json_body.h"
#include "http/status_mapping.h"
#include "http/web_assets.h"
#include "integrations/oauth_service.h"
#include "integrations/views.h"
#include "sync/views.h"

namespace stripeline::http {

namespace {

// Ties a `state` to the browser that started it. SameSite=Lax, unlike the session cookie:
// Stripe's redirect back is a cross-site navigation, on which Strict cookies are not sent.
constexpr char kBindingCookie[] = "sl_oauth_binding";

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

HttpResponse CallbackPage(const Result<integrations::Saved>& outcome) {
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

}  // namespace

void RegisterOAuthRoutes(ApiRoutes& routes) {
  integrations::OAuthService* oauth = routes.services().oauth;
  auto require = [oauth]() -> Status {
    if (oauth == nullptr) return Status::Unavailable("Stripe Connect is not available here.");
    return Status::OK();
  };

  routes.Authenticated("GET", "/api/v1/settings/stripe-connect",
                       [oauth, require](const Call& call) -> Result<HttpResponse> {
                         SL_RETURN_IF_ERROR(require());
                         SL_ASSIGN_OR_RETURN(auto view, oauth->GetSettings(call.actor));
                         return JsonAnswer(200, integrations::ConnectSettingsJson(view));
                       });

  // Saving checks the platform key with Stripe, on the request thread: bounded (CallsStripe).
  routes.Authenticated("PUT", "/api/v1/settings/stripe-connect",
                       routes.CallsStripe([oauth, require](const Call& call) -> Result<HttpResponse> {
                         SL_RETURN_IF_ERROR(require());
                         integrations::ConnectSettings settings;
                         SL_ASSIGN_OR_RETURN(settings.client_id,
                                             RequiredString(call.body, "client_id"));
                         SL_ASSIGN_OR_RETURN(settings.secret_key,
                                             RequiredString(call.body, "secret_key"));
                         SL_ASSIGN_OR_RETURN(settings.redirect_url,
                                             RequiredString(call.body, "redirect_url"));
                         SL_ASSIGN_OR_RETURN(auto scope, OptionalString(call.body, "scope"));
                         if (scope) settings.scope = *scope;
                         SL_ASSIGN_OR_RETURN(auto view, oauth->PutSettings(call.actor, settings));
                         boost::json::object body = integrations::ConnectSettingsJson(view);
                         body["message"] = "Stripe Connect settings saved";
                         return JsonAnswer(200, std::move(body));
                       }));

  routes.Authenticated(
      "POST", "/api/v1/oauth/stripe/start",
      [&routes, oauth, require](const Call& call) -> Result<HttpResponse> {
        SL_RETURN_IF_ERROR(require());
        integrations::OAuthStart start;
        // A reconnect names the integration alone; a new integration needs its name.
        SL_ASSIGN_OR_RETURN(start.integration_id, OptionalString(call.body, "integration_id"));
        if (start.integration_id) {
          SL_ASSIGN_OR_RETURN(auto name, OptionalString(call.body, "name"));
          start.name = name.value_or("");
        } else {
          SL_ASSIGN_OR_RETURN(start.name, RequiredString(call.body, "name"));
        }
        SL_ASSIGN_OR_RETURN(start.client_id, OptionalString(call.body, "client_id"));
        SL_ASSIGN_OR_RETURN(start.expected_account, OptionalString(call.body, "expected_account"));
        SL_ASSIGN_OR_RETURN(auto started,
                            oauth->Start(call.actor, start,
                                         CookieValue(call.request, kBindingCookie)));
        HttpResponse response = JsonAnswer(200, integrations::StartedOAuthJson(started));
        std::string cookie = std::string(kBindingCookie) + "=" + started.binding +
                             "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                             std::to_string(integrations::kStateLifetime);
        if (routes.options().secure_cookies) cookie += "; Secure";
        response.headers.emplace_back("Set-Cookie", std::move(cookie));
        return response;
      });

  // Not under /api: Stripe sends the browser here. No session needed (the binding cookie and
  // the state say who started it), and never cached.
  routes.Public("GET", "/oauth/stripe/callback",
                [&routes, oauth](const HttpRequest& request, const PathParams&) -> Result<HttpResponse> {
                  if (oauth == nullptr) {
                    return CallbackPage(Status::Unavailable("Stripe Connect is not available here."));
                  }
                  // The code exchange calls Stripe on this thread. A busy answer consumes
                  // nothing: the state stays valid, so reloading the page completes it.
                  Result<WorkGate::Ticket> ticket = routes.EnterStripeCall();
                  if (!ticket.ok()) return CallbackPage(ticket.status());
                  integrations::OAuthCallback callback{
                      .state = request.Query("state").value_or(""),
                      .code = request.Query("code").value_or(""),
                      .error = request.Query("error").value_or(""),
                      .error_description = request.Query("error_description").value_or(""),
                      .binding = CookieValue(request, kBindingCookie)};
                  return CallbackPage(oauth->Complete(callback));
                });
}

}  // namespace stripeline::http
