// Stripe Connect OAuth: the platform settings (/api/v1/settings/stripe-connect), starting an
// authorization (/api/v1/oauth/stripe/start) and the browser callback (/oauth/stripe/callback),
// which answers a small server-rendered page: "Integration added", or what went wrong.
#include <boost/json.hpp>

#include "http/api.h"
#include "http/json_body.h"
#include "http/oauth_callback_page.h"
#include "http/request_bodies.h"
#include "integrations/oauth_service.h"
#include "integrations/views.h"
#include "sync/views.h"

namespace stripeline::http {

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
                         SL_ASSIGN_OR_RETURN(integrations::ConnectSettings settings,
                                             ReadConnectSettings(call.body));
                         SL_ASSIGN_OR_RETURN(auto view, oauth->PutSettings(call.actor, settings));
                         boost::json::object body = integrations::ConnectSettingsJson(view);
                         body["message"] = "Stripe Connect settings saved";
                         return JsonAnswer(200, std::move(body));
                       }));

  routes.Authenticated(
      "POST", "/api/v1/oauth/stripe/start",
      [&routes, oauth, require](const Call& call) -> Result<HttpResponse> {
        SL_RETURN_IF_ERROR(require());
        SL_ASSIGN_OR_RETURN(integrations::OAuthStart start, ReadOAuthStart(call.body));
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
                    return OAuthCallbackPage(Status::Unavailable("Stripe Connect is not available here."));
                  }
                  // The code exchange calls Stripe on this thread. A busy answer consumes
                  // nothing: the state stays valid, so reloading the page completes it.
                  Result<WorkGate::Ticket> ticket = routes.EnterStripeCall();
                  if (!ticket.ok()) return OAuthCallbackPage(ticket.status());
                  return OAuthCallbackPage(oauth->Complete(ReadOAuthCallback(request)));
                });
}

}  // namespace stripeline::http
