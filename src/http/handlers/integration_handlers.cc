// /api/v1/integration-types and /api/v1/integrations: the External Integrations flows.
#include <boost/json.hpp>

#include "http/api.h"
#include "http/json_body.h"
#include "http/request_bodies.h"
#include "integrations/views.h"
#include "sync/views.h"

namespace stripeline::http {

namespace {

HttpResponse SavedAnswer(sync::SyncService& sync_service, int status,
                         const integrations::Saved& saved) {
  return JsonAnswer(status, sync::SavedJson(saved, sync_service.LastRun(saved.integration)));
}

// The integration with its last sync.
boost::json::object IntegrationWithLastSync(sync::SyncService& sync_service,
                                            const store::Integration& integration) {
  return sync::IntegrationJson(integration, sync_service.LastRun(integration));
}

}  // namespace

// The routes whose service may call Stripe (validating a key, testing, revoking an OAuth grant)
// pass routes.CallsStripe, which bounds how many request threads such calls hold.
void RegisterIntegrationRoutes(ApiRoutes& routes) {
  auto& service = routes.services().integrations;
  auto& syncs = routes.services().sync;  // the integrations' last sync
  auto& removal = routes.services().removal;

  routes.Authenticated("GET", "/api/v1/integration-types", [](const Call&) -> Result<HttpResponse> {
    boost::json::array types;
    for (const auto& type : integrations::Catalog()) {
      types.push_back(integrations::IntegrationTypeJson(type));
    }
    return JsonAnswer(200, {{"data", types}});
  });

  routes.Authenticated("GET", "/api/v1/integrations", [&service, &syncs](const Call& call) -> Result<HttpResponse> {
    std::optional<std::string> client_id = call.request.Query("client_id");
    SL_ASSIGN_OR_RETURN(auto list, service.List(call.actor, client_id));
    boost::json::array data;
    for (const auto& integration : list) data.push_back(IntegrationWithLastSync(syncs, integration));
    return JsonAnswer(200, {{"data", data}});
  });

  routes.Authenticated("POST", "/api/v1/integrations", routes.CallsStripe([&routes, &service, &syncs](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto scheme, OptionalString(call.body, "auth_scheme"));
    if (scheme == integrations::kOAuthScheme && routes.services().oauth != nullptr) {
      SL_ASSIGN_OR_RETURN(auto request, ReadManualOAuth(call.body));
      SL_ASSIGN_OR_RETURN(auto saved, routes.services().oauth->AddManual(call.actor, request));
      return SavedAnswer(syncs, 201, saved);
    }
    SL_ASSIGN_OR_RETURN(auto request, ReadNewIntegration(call.body, false));
    SL_ASSIGN_OR_RETURN(auto saved, service.Add(call.actor, request));
    return SavedAnswer(syncs, 201, saved);
  }));

  routes.Authenticated("POST", "/api/v1/integrations/test", routes.CallsStripe([&service](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto request, ReadNewIntegration(call.body, true));
    SL_ASSIGN_OR_RETURN(auto check, service.TestCredentials(call.actor, request));
    return JsonAnswer(200, integrations::ConnectionCheckJson(check));
  }));

  routes.Authenticated("GET", "/api/v1/integrations/{id}", [&service, &syncs](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto integration, service.Get(call.actor, call.Param("id")));
    return JsonAnswer(200, {{"integration", IntegrationWithLastSync(syncs, integration)}});
  });

  routes.Authenticated("PATCH", "/api/v1/integrations/{id}", routes.CallsStripe([&service, &syncs](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(integrations::IntegrationEdit edit, ReadIntegrationEdit(call.body));
    SL_ASSIGN_OR_RETURN(auto saved, service.Edit(call.actor, call.Param("id"), edit));
    return SavedAnswer(syncs, 200, saved);
  }));

  routes.Authenticated("DELETE", "/api/v1/integrations/{id}", routes.CallsStripe([&removal](const Call& call) -> Result<HttpResponse> {
    // Keeping the synced data is the default: deleting data must be asked for.
    std::string keep = call.request.Query("keep_data").value_or("true");
    if (keep != "true" && keep != "false") {
      return Status::InvalidArgument("keep_data must be true or false.", "invalid_field");
    }
    SL_ASSIGN_OR_RETURN(std::string message,
                        removal.Delete(call.actor, call.Param("id"), keep == "true"));
    return JsonAnswer(200, {{"message", message}, {"id", call.Param("id")},
                            {"data_kept", keep == "true"}});
  }));

  for (bool active : {true, false}) {
    routes.Authenticated("POST", active ? "/api/v1/integrations/{id}/activate"
                                        : "/api/v1/integrations/{id}/deactivate",
                         [&service, &syncs, active](const Call& call) -> Result<HttpResponse> {
                           SL_ASSIGN_OR_RETURN(auto saved,
                                               service.SetActive(call.actor, call.Param("id"), active));
                           return SavedAnswer(syncs, 200, saved);
                         });
  }

  routes.Authenticated("POST", "/api/v1/integrations/{id}/test", routes.CallsStripe([&service, &syncs](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto check, service.Test(call.actor, call.Param("id")));
    SL_ASSIGN_OR_RETURN(auto integration, service.Get(call.actor, call.Param("id")));
    boost::json::object body = integrations::ConnectionCheckJson(check);
    body["integration"] = IntegrationWithLastSync(syncs, integration);
    return JsonAnswer(200, std::move(body));
  }));

  routes.Authenticated("GET", "/api/v1/integrations/{id}/audit", [&service](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto entries, service.Audit(call.actor, call.Param("id")));
    boost::json::array data;
    for (const auto& entry : entries) data.push_back(integrations::AuditEntryJson(entry));
    return JsonAnswer(200, {{"data", data}});
  });

  routes.Authenticated("GET", "/api/v1/audit", [&service](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto entries, service.AuditLog(call.actor));
    boost::json::array data;
    for (const auto& entry : entries) data.push_back(integrations::AuditEntryJson(entry));
    return JsonAnswer(200, {{"data", data}});
  });
}

}  // namespace stripeline::http
