#pragma once
// Api: the REST API under /api/v1 plus /healthz and /readyz, and the admin web app's page and
// assets (http/web_assets.h) at / and /assets/, as one thread-safe request handler for
// HttpServer. Authentication is a session cookie (with a CSRF token required on
// every state-changing request) for the web page, or `Authorization: Bearer <token>` for
// programs. Handlers are grouped by resource in src/http/handlers/; they only translate between
// HTTP and the services, which hold the rules. The routes are documented in docs/openapi.yaml.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "access/user_service.h"
#include "common/http_message.h"
#include "common/router.h"
#include "common/work_gate.h"
#include "http/status_mapping.h"
#include "http/web_assets.h"
#include "integrations/client_service.h"
#include "integrations/integration_service.h"
#include "integrations/oauth_service.h"
#include "reports/metrics_service.h"
#include "sync/integration_removal.h"
#include "sync/readiness.h"
#include "sync/sync_service.h"
#include "sync/webhook_intake.h"

namespace stripeline::http {

// The services the handlers act through, built once by the composition root (cli::Runtime).
// Handlers get services, never the store: the services hold the rules.
struct ApiServices {
  access::UserService& users;
  integrations::IntegrationService& integrations;
  integrations::ClientService& clients;
  // Deleting an integration (with its synced data and its OAuth grant).
  sync::IntegrationRemoval& removal;
  sync::SyncService& sync;
  reports::MetricsService& metrics;
  // Webhook intake (/webhooks/stripe/...); null where the process receives none: its routes
  // then answer 503.
  sync::WebhookIntake* webhooks = nullptr;
  // Stripe Connect OAuth; null where the process offers none: its routes then answer 503.
  integrations::OAuthService* oauth = nullptr;
  // What /readyz checks; null: only that the database answers.
  sync::Readiness* readiness = nullptr;
};

struct ApiOptions {
  // Requests that call Stripe on their request thread — adding, editing, testing or deleting
  // an integration, saving the Connect settings, the OAuth callback — pass this gate: at most
  // `max_running` at once and `max_waiting` waiting; more are answered 503 busy with
  // Retry-After at once. Long work of other kinds never runs on a request thread
  // (verification and syncs are background jobs).
  WorkGate::Options stripe_calls{.max_running = 8, .max_waiting = 8};
  // Adds `Secure` to the session cookie; turn on when served over HTTPS.
  bool secure_cookies = false;
  std::chrono::seconds session_idle_timeout{std::chrono::hours(12)};
  std::string version = "0.1.0";
};

// Worker threads of the server that runs the Api (HttpServerOptions::worker_threads). Handlers
// block — on Stripe, and webhook deliveries on their group commit — so more threads mean more
// deliveries sharing each disk flush; the threads mostly wait. The kinds of long work bounded
// by a WorkGate take at most 8 (password hashes: access::SignInLimits, 2 running + 6 waiting)
// and 16 (calls to Stripe: ApiOptions::stripe_calls) of them, so at least 8 always remain for
// everything else — /healthz, /readyz and every quick request.
inline constexpr int kApiWorkerThreads = 32;

inline constexpr char kSessionCookie[] = "sl_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// What an authenticated handler gets.
struct Call {
  const HttpRequest& request;
  const PathParams& params;
  access::Actor actor;
  boost::json::object body;  // the parsed JSON body ({} when empty)

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

using CallHandler = std::function<Result<HttpResponse>(const Call&)>;

// The routing table handlers register into; wraps every handler with authentication, CSRF
// checks, JSON parsing and the Status → HTTP mapping.
class ApiRoutes {
 public:
  ApiRoutes(Router& router, ApiServices services, const ApiOptions& options)
      : router_(router), services_(services), options_(options),
        stripe_calls_(options.stripe_calls) {}

  // A route that needs a signed-in user or an API token.
  void Authenticated(std::string method, std::string pattern, CallHandler handler);
  // A route anyone may call (login, health).
  void Public(std::string method, std::string pattern,
              std::function<Result<HttpResponse>(const HttpRequest&, const PathParams&)> handler);

  // A place for a request that calls Stripe on its thread (ApiOptions::stripe_calls), or
  // Unavailable "busy" with Retry-After when the gate is full.
  Result<WorkGate::Ticket> EnterStripeCall();
  // `handler`, run only with such a place: for the routes whose service calls Stripe.
  CallHandler CallsStripe(CallHandler handler);

  ApiServices& services() { return services_; }
  const ApiOptions& options() const { return options_; }

 private:
  Result<access::Actor> Authenticate(const HttpRequest& request) const;

  Router& router_;
  ApiServices services_;
  const ApiOptions& options_;
  WorkGate stripe_calls_;
};

class Api {
 public:
  Api(ApiServices services, ApiOptions options = {});
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;
  HttpResponse Handle(const HttpRequest& request) const;
  // Every route as "METHOD /pattern".
  std::vector<std::string> Routes() const { return router_.Describe(); }

 private:
  ApiOptions options_;
  WebAssets web_;
  Router router_{NoRouteResponse};
  std::unique_ptr<ApiRoutes> routes_;  // the route handlers point into it
};

// JSON answer with status; shorthand for handlers.
HttpResponse JsonAnswer(int status, boost::json::object body);
// The value of cookie `name` in the request, or empty.
std::string CookieValue(const HttpRequest& request, std::string_view name);

// Route registration, one function per resource (src/http/handlers/).
void RegisterSystemRoutes(ApiRoutes& routes);
void RegisterAuthRoutes(ApiRoutes& routes);
void RegisterIntegrationRoutes(ApiRoutes& routes);
void RegisterClientRoutes(ApiRoutes& routes);
void RegisterUserRoutes(ApiRoutes& routes);
void RegisterWebhookRoutes(ApiRoutes& routes);
void RegisterSyncRoutes(ApiRoutes& routes);
void RegisterOAuthRoutes(ApiRoutes& routes);
void RegisterMetricsRoutes(ApiRoutes& routes);

}  // namespace stripeline::http
