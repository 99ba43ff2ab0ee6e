// /healthz (the process answers) and /readyz (it can also do its work: sync::Readiness).
#include <boost/json.hpp>

#include "http/api.h"

namespace stripeline::http {

void RegisterSystemRoutes(ApiRoutes& routes) {
  routes.Public("GET", "/healthz", [](const HttpRequest&, const PathParams&) -> Result<HttpResponse> {
    return JsonAnswer(200, {{"status", "ok"}});
  });
  routes.Public("GET", "/readyz",
                [&routes](const HttpRequest&, const PathParams&) -> Result<HttpResponse> {
                  sync::ReadinessReport report;
                  if (routes.services().readiness != nullptr) {
                    report = routes.services().readiness->Check();
                  } else if (Status database = routes.services().users.CheckDatabase();
                             !database.ok()) {
                    report = {.ready = false,
                              .reason = "database_unreachable",
                              .message = "The database cannot be read; see the server log."};
                  }
                  if (!report.ready) {
                    return JsonAnswer(503, {{"status", "unavailable"},
                                            {"reason", report.reason},
                                            {"message", report.message}});
                  }
                  return JsonAnswer(200, {{"status", "ready"},
                                          {"version", routes.options().version}});
                });
}

}  // namespace stripeline::http
