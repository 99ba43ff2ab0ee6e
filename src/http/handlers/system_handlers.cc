// /healthz (the process answers) and /readyz (it can also reach its database).
#include <boost/json.hpp>

#include "http/api.h"

namespace stripeline::http {

void RegisterSystemRoutes(ApiRoutes& routes) {
  routes.Public("GET", "/healthz", [](const HttpRequest&, const PathParams&) -> Result<HttpResponse> {
    return JsonAnswer(200, {{"status", "ok"}});
  });
  routes.Public("GET", "/readyz",
                [&routes](const HttpRequest&, const PathParams&) -> Result<HttpResponse> {
                  Status database = routes.services().users.CheckDatabase();
                  if (!database.ok()) {
                    return JsonAnswer(503, {{"status", "unavailable"},
                                            {"reason", database.message()}});
                  }
                  return JsonAnswer(200, {{"status", "ready"},
                                          {"version", routes.options().version}});
                });
}

}  // namespace stripeline::http
