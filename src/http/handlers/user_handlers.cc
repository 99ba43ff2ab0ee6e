// /api/v1/users (administrators) and /api/v1/tokens (API tokens, shown once).
#include <boost/json.hpp>

#include "access/views.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/request_bodies.h"

namespace stripeline::http {

void RegisterUserRoutes(ApiRoutes& routes) {
  auto& users = routes.services().users;

  routes.Authenticated("GET", "/api/v1/users", [&users](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto list, users.ListUsers(call.actor));
    boost::json::array data;
    for (const auto& user : list) data.push_back(access::UserJson(user));
    return JsonAnswer(200, {{"data", data}});
  });
  routes.Authenticated("POST", "/api/v1/users", [&users](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(NewUser request, ReadNewUser(call.body));
    SL_ASSIGN_OR_RETURN(auto user, users.CreateUser(call.actor, request.email, request.role,
                                                    request.password));
    return JsonAnswer(201, {{"user", access::UserJson(user)}, {"message", "User added"}});
  });
  routes.Authenticated("PATCH", "/api/v1/users/{id}", [&users](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(UserUpdate update, ReadUserUpdate(call.body));
    SL_ASSIGN_OR_RETURN(auto user, users.UpdateUser(call.actor, call.Param("id"), update.role,
                                                    update.disabled));
    return JsonAnswer(200, {{"user", access::UserJson(user)}, {"message", "User updated"}});
  });

  routes.Authenticated("GET", "/api/v1/tokens", [&users](const Call& call) -> Result<HttpResponse> {
    std::string user_id = call.request.Query("user_id").value_or(call.actor.user_id);
    SL_ASSIGN_OR_RETURN(auto list, users.ListTokens(call.actor, user_id));
    boost::json::array data;
    for (const auto& token : list) data.push_back(access::ApiTokenJson(token));
    return JsonAnswer(200, {{"data", data}});
  });
  routes.Authenticated("POST", "/api/v1/tokens", [&users](const Call& call) -> Result<HttpResponse> {
    SL_ASSIGN_OR_RETURN(auto name, OptionalString(call.body, "name"));
    SL_ASSIGN_OR_RETURN(auto email, OptionalString(call.body, "user_email"));
    SL_ASSIGN_OR_RETURN(auto issued, users.CreateToken(call.actor, email.value_or(call.actor.email),
                                                       name.value_or("")));
    return JsonAnswer(201, {{"token", issued.token},
                            {"api_token", access::ApiTokenJson(issued.record)},
                            {"message", "Token created. Copy it now: it is not shown again."}});
  });
  routes.Authenticated("DELETE", "/api/v1/tokens/{id}", [&users](const Call& call) -> Result<HttpResponse> {
    SL_RETURN_IF_ERROR(users.RevokeToken(call.actor, call.Param("id")));
    return JsonAnswer(200, {{"message", "Token revoked"}});
  });
}

}  // namespace stripeline::http
