// /api/v1/clients: an agency's clients, their data sources and who may work on them.
#include <boost/json.hpp>

#include "access/views.h"
#include "http/api.h"
#include "http/json_body.h"
#include "integrations/views.h"
#include "sync/views.h"

namespace stripeline::http {

void RegisterClientRoutes(ApiRoutes& routes) {
  auto& clients = routes.services().clients;
  auto& integrations = routes.services().integrations;
  auto& sync_service = routes.services().sync;

  routes.Authenticated("GET", "/api/v1/clients", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto list, clients.List(call.actor));
    boost::json::array data;
    for (const auto& client : list) data.push_back(integrations::ClientJson(client));
    return JsonAnswer(200, {{"data", data}});
  });
  routes.Authenticated("POST", "/api/v1/clients", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(std::string name, RequiredString(call.body, "name"));
    SL_ASSIGN_OR_RETURN(auto client, clients.Create(call.actor, name));
    return JsonAnswer(201, {{"client", integrations::ClientJson(client)}, {"message", "Client added"}});
  });
  routes.Authenticated("GET", "/api/v1/clients/{id}", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto client, clients.Get(call.actor, call.Param("id")));
    return JsonAnswer(200, {{"client", integrations::ClientJson(client)}});
  });
  routes.Authenticated("PATCH", "/api/v1/clients/{id}", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(std::string name, RequiredString(call.body, "name"));
    SL_ASSIGN_OR_RETURN(auto client, clients.Rename(call.actor, call.Param("id"), name));
    return JsonAnswer(200, {{"client", integrations::ClientJson(client)}, {"message", "Client updated"}});
  });
  routes.Authenticated("DELETE", "/api/v1/clients/{id}", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_RETURN_IF_ERROR(clients.Delete(call.actor, call.Param("id")));
    return JsonAnswer(200, {{"message", "Client deleted"}, {"id", call.Param("id")}});
  });
  routes.Authenticated("GET", "/api/v1/clients/{id}/integrations",
                       [&clients, &integrations, &sync_service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(auto client, clients.Get(call.actor, call.Param("id")));
                         SL_ASSIGN_OR_RETURN(auto list, integrations.List(call.actor, client.id));
                         boost::json::array data;
                         for (const auto& integration : list) {
                           data.push_back(
                               sync::IntegrationJson(integration, sync_service.LastRun(integration)));
                         }
                         return JsonAnswer(200, {{"data", data}});
                       });
  routes.Authenticated("GET", "/api/v1/clients/{id}/members", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto members, clients.Members(call.actor, call.Param("id")));
    boost::json::array data;
    for (const auto& user : members) data.push_back(access::UserJson(user));
    return JsonAnswer(200, {{"data", data}});
  });
  routes.Authenticated("POST", "/api/v1/clients/{id}/members", [&clients](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(std::string email, RequiredString(call.body, "email"));
    SL_RETURN_IF_ERROR(clients.AddMember(call.actor, call.Param("id"), email));
    return JsonAnswer(200, {{"message", "Access granted"}});
  });
  routes.Authenticated("DELETE", "/api/v1/clients/{id}/members/{email}",
                       [&clients](const Call& call) -> Result<HttpResponse> {
                         SL_RETURN_IF_ERROR(
                             clients.RemoveMember(call.actor, call.Param("id"), call.Param("email")));
                         return JsonAnswer(200, {{"message", "Access removed"}});
                       });
}

}  // namespace stripeline::http
