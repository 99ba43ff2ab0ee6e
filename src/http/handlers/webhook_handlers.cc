// Stripe webhooks: the intake route Stripe posts to (/webhooks/stripe/{integration_id}, public:
// the signature is the authentication) and the signing-secret routes under
// /api/v1/integrations/{id}/webhook*. The rules live in sync::WebhookIntake.
#include <boost/json.hpp>

#include "http/api.h"
#include "http/request_bodies.h"
#include "http/status_mapping.h"
#include "stripe/webhook_signature.h"
#include "sync/views.h"

namespace stripeline::http {

namespace {

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
        SL_ASSIGN_OR_RETURN(WebhookSecretRequest request, ReadWebhookSecretRequest(call.body));
        SL_ASSIGN_OR_RETURN(sync::SecretChange change,
                            intake->SetSecret(call.actor, call.Param("id"), request.secret,
                                            request.overlap));
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
