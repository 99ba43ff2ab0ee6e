// The emulator served over real HTTP by HttpServer (port 0), spoken to with libcurl, as the
// Stripe client and the CLI will.
#include <boost/json.hpp>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <strings.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/http_server.h"
#include "emulator/emulator.h"
#include "emulator_test_util.h"
#include "unit/emulator/served_emulator.h"

namespace stripeline::emulator {
namespace {

struct CurlReply {
  long status = 0;
  std::string body;
  std::vector<std::string> headers;  // raw "Name: value" lines

  std::string Header(std::string_view name) const {
    for (const std::string& line : headers) {
      if (line.size() > name.size() && line[name.size()] == ':' &&
          strncasecmp(line.data(), name.data(), name.size()) == 0) {
        std::string value = line.substr(name.size() + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r\n ") + 1);
        return value;
      }
    }
    return {};
  }
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(data, size * n);
  return size * n;
}

// One request with a fresh easy handle; `user` sets Basic auth instead of headers.
CurlReply Fetch(const std::string& url, const std::vector<std::string>& headers,
                const std::string& method = "GET", const std::string& body = {},
                const char* user = nullptr) {
  CurlReply reply;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owned(list, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (user != nullptr) curl_easy_setopt(curl.get(), CURLOPT_USERPWD, user);
  if (method == "POST") {
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  }
  CURLcode rc = curl_easy_perform(curl.get());
  EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

class EmulatorHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto served = test_util::ServeEmulator();
    ASSERT_TRUE(served.server);
    emulator_ = std::move(served.emulator);
    server_ = std::move(served.server);
    base_ = server_->base_url();
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  std::string Bearer(const std::string& key = testing::kTestSecret) {
    return "Authorization: Bearer " + key;
  }

  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<HttpServer> server_;
  std::string base_;
};

TEST_F(EmulatorHttpTest, ServesListsOverHttp) {
  CurlReply reply = Fetch(base_ + "/v1/charges?limit=2", {Bearer()});
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = boost::json::parse(reply.body).as_object();
  EXPECT_EQ(body.at("object").as_string(), "list");
  EXPECT_EQ(body.at("data").as_array().size(), 2u);
  EXPECT_TRUE(reply.Header("Request-Id").starts_with("req_"));
  EXPECT_EQ(reply.Header("Content-Type"), "application/json");

  // Paging by starting_after over the wire.
  std::string last(body.at("data").as_array().back().at("id").as_string());
  CurlReply next = Fetch(base_ + "/v1/charges?limit=2&starting_after=" + last, {Bearer()});
  EXPECT_EQ(next.status, 200);
  EXPECT_NE(boost::json::parse(next.body).at("data").at(0).at("id").as_string(), last);
}

TEST_F(EmulatorHttpTest, ErrorsKeepTheirStatusAndHeadersOverHttp) {
  CurlReply no_key = Fetch(base_ + "/v1/customers", {});
  EXPECT_EQ(no_key.status, 401);
  EXPECT_TRUE(no_key.Header("Request-Id").starts_with("req_"));
  EXPECT_EQ(boost::json::parse(no_key.body).at("error").at("type").as_string(),
            "invalid_request_error");

  CurlReply connected = Fetch(base_ + "/v1/account",
                              {Bearer(), "Stripe-Account: acct_emu_connected_1"});
  EXPECT_EQ(connected.status, 200);
  EXPECT_EQ(boost::json::parse(connected.body).at("id").as_string(), "acct_emu_connected_1");

  // Basic auth with the key as user name and an empty password.
  std::string user = std::string(testing::kTestSecret) + ":";
  CurlReply basic = Fetch(base_ + "/v1/balance", {}, "GET", {}, user.c_str());
  EXPECT_EQ(basic.status, 200) << basic.body;
}

TEST_F(EmulatorHttpTest, AdminFaultsAndCountOverHttp) {
  CurlReply set = Fetch(base_ + "/_emulator/faults", {}, "POST",
                        "status=503&count=1&should_retry=true");
  ASSERT_EQ(set.status, 200) << set.body;
  CurlReply failed = Fetch(base_ + "/v1/customers", {Bearer()});
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(failed.Header("Stripe-Should-Retry"), "true");
  EXPECT_EQ(Fetch(base_ + "/v1/customers", {Bearer()}).status, 200);
  CurlReply count = Fetch(base_ + "/_emulator/requests/count", {});
  EXPECT_EQ(boost::json::parse(count.body).at("count").as_int64(), 2);
}

TEST_F(EmulatorHttpTest, ConcurrentRequestsAreServed) {
  std::vector<std::thread> threads;
  std::vector<long> statuses(8);
  for (size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = Fetch(base_ + "/v1/events?limit=3", {Bearer()}).status;
    });
  }
  for (std::thread& t : threads) t.join();
  for (long status : statuses) EXPECT_EQ(status, 200);
  CurlReply count = Fetch(base_ + "/_emulator/requests/count", {});
  EXPECT_EQ(boost::json::parse(count.body).at("count").as_int64(), 8);
}

}  // namespace
}  // namespace stripeline::emulator
