// docs/openapi.yaml must document every route the API serves, with each of its methods.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "http/api.h"
#include "store/open_database.h"
#include "store/store.h"
#include "stripe/curl_transport.h"
#include "unit/http/api_test_services.h"
#include "unit/store/test_schemas.h"

namespace stripeline::http {
namespace {

// The lines of the path item `path` in the document (up to the next path), or empty.
std::vector<std::string> PathItem(const std::vector<std::string>& lines, const std::string& path) {
  std::vector<std::string> item;
  auto start = std::find(lines.begin(), lines.end(), "  " + path + ":");
  if (start == lines.end()) return item;
  for (auto it = start + 1; it != lines.end(); ++it) {
    if (it->size() > 2 && (*it)[0] == ' ' && (*it)[1] == ' ' && (*it)[2] != ' ') break;
    if (!it->empty() && (*it)[0] != ' ') break;
    item.push_back(*it);
  }
  return item;
}

TEST(OpenApi, DocumentsEveryRouteAndMethod) {
  auto db = store::OpenDatabase("sqlite::memory:", test_util::TestSchemas());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  SecretBox box(std::string(kMasterKeyBytes, 'k'));
  stripe::Client client({}, std::make_shared<stripe::CurlTransport>());
  stripe::RateLimiterRegistry checker_limiters;
  integrations::ConnectionChecker checker(client, checker_limiters);
  store::Store store(**db);
  access::UserService users(store, Clock::Real());
  integrations::IntegrationService service(store, box, checker);
  integrations::ClientService clients(store);
  stripe::RateLimiterRegistry limiters;
  test_util::ApiTestServices services(**db, store, box, users, service, clients, client, limiters,
                                      Clock::Real());
  Api api(services.Services());

  std::ifstream in(std::string(STRIPELINE_SOURCE_DIR) + "/docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml is missing";
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  auto routes = api.Routes();
  ASSERT_GT(routes.size(), 20u);
  for (const auto& route : routes) {
    std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    auto item = PathItem(lines, path);
    ASSERT_FALSE(item.empty()) << path << " is not in docs/openapi.yaml";
    EXPECT_NE(std::find(item.begin(), item.end(), "    " + method + ":"), item.end())
        << route << " is not documented";
  }
}

}  // namespace
}  // namespace stripeline::http
