#include "http/api.h"

#include <boost/json.hpp>

#include "common/secrets.h"
#include "http/json_body.h"
#include "http/status_mapping.h"

namespace stripeline::http {

namespace {

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

HttpResponse Finish(Result<HttpResponse> result) {
  HttpResponse response = result.ok() ? std::move(result).value() : ErrorResponse(result.status());
  // API answers are personal and may hold account details: never cache them.
  response.SetHeader("Cache-Control", "no-store");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

HttpResponse JsonAnswer(int status, boost::json::object body) {
  return HttpResponse::Json(status, body);
}

std::string CookieValue(const HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return "";
}

Result<access::Actor> ApiRoutes::Authenticate(const HttpRequest& request) const {
  if (auto authorization = request.Header("authorization")) {
    std::string_view value = *authorization;
    if (!value.starts_with("Bearer ") || value.size() <= 7) {
      return Status::Unauthenticated(
          "The Authorization header must be 'Bearer <token>' (create one with `stripeline "
          "tokens create`).",
          "unauthenticated");
    }
    return services_.users.AuthenticateToken(std::string(value.substr(7)));
  }
  std::string session = CookieValue(request, kSessionCookie);
  if (session.empty()) {
    return Status::Unauthenticated(
        "Sign in, or send an API token as 'Authorization: Bearer <token>'.", "unauthenticated");
  }
  SL_ASSIGN_OR_RETURN(access::Actor actor, services_.users.AuthenticateSession(session));
  if (ChangesState(request.method)) {
    // Cookies ride along on cross-site requests; the CSRF token only comes from our own page.
    SL_ASSIGN_OR_RETURN(std::string expected, services_.users.SessionCsrfToken(session));
    std::string given = request.Header(kCsrfHeader).value_or("");
    if (given.empty() || !ConstantTimeEquals(given, expected)) {
      return Status::PermissionDenied(
          "Missing or wrong CSRF token: send the X-CSRF-Token header from your session.",
          "csrf_failed");
    }
  }
  return actor;
}

void ApiRoutes::Authenticated(std::string method, std::string pattern, CallHandler handler) {
  router_.Add(std::move(method), std::move(pattern),
              [this, handler = std::move(handler)](const HttpRequest& request,
                                                   const PathParams& params) {
                auto actor = Authenticate(request);
                if (!actor.ok()) return Finish(actor.status());
                auto body = ParseJsonObject(request.body);
                if (!body.ok()) {
                  HttpResponse response = Finish(body.status());
                  response.status = 400;
                  return response;
                }
                Call call{request, params, std::move(actor).value(), std::move(body).value()};
                return Finish(handler(call));
              });
}

Result<WorkGate::Ticket> ApiRoutes::EnterStripeCall() {
  std::optional<WorkGate::Ticket> ticket = stripe_calls_.Enter();
  if (!ticket) {
    return Status::Unavailable("Too many requests to Stripe at once; try again in a moment.",
                               "busy")
        .WithRetryAfter(std::chrono::seconds(1));
  }
  return *std::move(ticket);
}

CallHandler ApiRoutes::CallsStripe(CallHandler handler) {
  return [this, handler = std::move(handler)](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(WorkGate::Ticket ticket, EnterStripeCall());
    return handler(call);
  };
}

void ApiRoutes::Public(
    std::string method, std::string pattern,
    std::function<Result<HttpResponse>(const HttpRequest&, const PathParams&)> handler) {
  router_.Add(std::move(method), std::move(pattern),
              [handler = std::move(handler)](const HttpRequest& request,
                                             const PathParams& params) {
                return Finish(handler(request, params));
              });
}

Api::Api(ApiServices services, ApiOptions options)
    : options_(std::move(options)),
      routes_(std::make_unique<ApiRoutes>(router_, services, options_)) {
  RegisterSystemRoutes(*routes_);
  RegisterAuthRoutes(*routes_);
  RegisterIntegrationRoutes(*routes_);
  RegisterClientRoutes(*routes_);
  RegisterUserRoutes(*routes_);
  RegisterWebhookRoutes(*routes_);
  RegisterSyncRoutes(*routes_);
  RegisterOAuthRoutes(*routes_);
  RegisterMetricsRoutes(*routes_);
}

HttpResponse Api::Handle(const HttpRequest& request) const {
  if (std::optional<HttpResponse> page = web_.Serve(request)) return *std::move(page);
  return router_.Dispatch(request);
}

}  // namespace stripeline::http
