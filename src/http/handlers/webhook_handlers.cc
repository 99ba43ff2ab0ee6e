// Stripe webhooks: the intake route Stripe posts to (/webhooks/stripe/{integration_id}, public:
// the signature is the authentication) and the signing-secret routes under
// /api/v1/integrations/{id}/webhook*. The rules live in sync::WebhookIntake.
#include <boost/json.hpp>

#include "http/api.h"
#include "http/json_body.h"
#include "http/status_mapping.h"
#include "stripe/webhook_signature.h"
#include "sync/views.h"

namespace stripeline::http {

namespace {

Result<std::optional<std::chrono::seconds>> ReadOverlap(const boost::json::object& body) {
  const boost::json::value* value = body.if_contains("overlap_seconds");
  if (value == nullptr || value->is_null()) return std::optional<std::chrono::seconds>();
  if (!value->is_int64() && !value->is_uint64()) {
    return Status::InvalidArgument("Field 'overlap_seconds' must be a whole number of seconds.",
                                   "invalid_field");
  }
  const int64_t seconds = value->is_int64() ? value->get_int64() : -1;
  return std::optional<std::chrono::seconds>(std::chrono::seconds(seconds));
}

Result<sync::WebhookIntake*> Intake(ApiRoutes& routes) {
  if (routes.services().webhooks == nullptr) {
    return Status::Unavailable("This process does not receive webhooks.", "webhooks_disabled");
  }
  return routes.services().webhooks;
}

// Stripe only needs to know whether to retry; the sender of a rejected delivery also gets why.
HttpResponse Rejection(const Status& status) {
  HttpResponse response = ErrorResponse(status);
  if (status.code() == StatusCode::kInvalidArgument) response.status = 400;
  return response;
}

}  // namespace

void RegisterWebhookRoutes(ApiRoutes& routes) {
  routes.Public("POST", "/webhooks/stripe/{integration_id}",
                [&routes](const HttpRequest& request,
                          const PathParams& params) -> Result<HttpResponse> {
                  SL_ASSIGN_OR_RETURN(sync::WebhookIntake * intake, Intake(routes));
                  std::optional<std::string> header =
                      request.Header(stripe::kWebhookSignatureHeader);
                  auto receipt = intake->Receive(params.at("integration_id"), request.body,
                                                 header ? std::optional<std::string_view>(*header)
                                                        : std::nullopt);
                  if (!receipt.ok()) return Rejection(receipt.status());
                  return JsonAnswer(200, sync::ReceiptJson(*receipt));
                });

  routes.Authenticated(
      "POST", "/api/v1/integrations/{id}/webhook-secret",
      [&routes](const Call& call) -> Result<HttpResponse> {
        SL_ASSIGN_OR_RETURN(sync::WebhookIntake * intake, Intake(routes));
        SL_ASSIGN_OR_RETURN(std::optional<std::string> secret, OptionalString(call.body, "secret"));
        if (secret && secret->empty()) {
          // An empty field is more likely a paste that went wrong than a wish for a new secret.
          return Status::InvalidArgument(
              "The signing secret is empty. Paste the endpoint's secret (whsec_...), or leave "
              "the field out to have Stripeline generate one.",
              "invalid_webhook_secret");
        }
        SL_ASSIGN_OR_RETURN(auto overlap, ReadOverlap(call.body));
        SL_ASSIGN_OR_RETURN(sync::SecretChange change,
                            intake->SetSecret(call.actor, call.Param("id"), secret, overlap));
        return JsonAnswer(200, sync::SecretChangeJson(change));
      });

  routes.Authenticated("GET", "/api/v1/integrations/{id}/webhook",
                       [&routes](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(sync::WebhookIntake * intake, Intake(routes));
                         SL_ASSIGN_OR_RETURN(sync::WebhookConfig config,
                                             intake->Config(call.actor, call.Param("id")));
                         return JsonAnswer(200, {{"webhook", sync::WebhookJson(config)}});
                       });

  routes.Authenticated("DELETE", "/api/v1/integrations/{id}/webhook",
                       [&routes](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(sync::WebhookIntake * intake, Intake(routes));
                         SL_ASSIGN_OR_RETURN(std::string message,
                                             intake->DeleteSecrets(call.actor, call.Param("id")));
                         return JsonAnswer(200, {{"message", message}});
                       });
}

}  // namespace stripeline::http
