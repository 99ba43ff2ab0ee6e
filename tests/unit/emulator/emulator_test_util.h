#pragma once
// Helpers for the emulator's tests: build HttpRequests and call Emulator::Handle directly.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "common/clock.h"
#include "common/http_message.h"
#include "emulator/emulator.h"
#include "unit/http/http_test_util.h"

namespace stripeline::emulator::testing {

inline constexpr char kTestSecret[] = "sk_test_emu_demo_secret_0000000000000000";
inline constexpr char kLiveSecret[] = "sk_live_emu_demo_secret_0000000000000000";
inline constexpr char kRestricted[] = "rk_test_emu_demo_readonly_00000000000000";
inline constexpr char kExpired[] = "sk_test_emu_demo_expired_000000000000000";
inline constexpr char kPublishable[] = "pk_test_emu_demo_publishable_00000000000";

// target = path and query, e.g. "/v1/charges?limit=2"; header names any case.
using ::stripeline::test_util::MakeRequest;

struct Reply {
  int status = 0;
  boost::json::value body;
  HttpResponse raw;

  const boost::json::object& object() const { return body.as_object(); }
  const boost::json::object& error() const { return body.at("error").as_object(); }
  std::string error_field(std::string_view name) const {
    const boost::json::value* v = error().if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : std::string("<absent>");
  }
  const boost::json::array& data() const { return body.at("data").as_array(); }
};

inline Reply ToReply(HttpResponse response) {
  Reply reply;
  reply.status = response.status;
  reply.body = boost::json::parse(response.body);
  reply.raw = std::move(response);
  return reply;
}

// At most how many demo objects of a resource an account and mode has: a few, more where the
// ledger needs them (a payment in each settlement currency and a foreign one; automatic,
// manual, instant and failed payouts per currency; a transaction per movement).
inline size_t DemoCap(std::string_view path) {
  if (path == "balance_transactions") return 48;
  if (path == "charges" || path == "payment_intents" || path == "payouts") return 16;
  return 8;
}

// The emulated "now" of tests that use the fake clock.
inline constexpr int64_t kFakeNow = 1'760'000'000;

class EmulatorTest : public ::testing::Test {
 protected:
  // What SetUp creates the emulator with; fixtures override it (e.g. to use clock_).
  virtual EmulatorOptions Options() { return {}; }

  void SetUp() override {
    auto created = Emulator::Create(Options());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    emulator_ = std::move(created).value();
  }

  Reply Get(const std::string& target, const std::string& key = kTestSecret,
            Fields extra_headers = {}) {
    if (!key.empty()) extra_headers.emplace_back("Authorization", "Bearer " + key);
    return ToReply(emulator_->Handle(MakeRequest("GET", target, std::move(extra_headers))));
  }
  Reply Admin(const std::string& method, const std::string& target, std::string body = {}) {
    Fields headers;
    if (!body.empty()) headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return ToReply(emulator_->Handle(MakeRequest(method, target, headers, std::move(body))));
  }

  FakeClock clock_{kFakeNow};
  std::unique_ptr<Emulator> emulator_;
};

// An emulator on the fake clock, so time only moves when a test says so.
class FakeClockTest : public EmulatorTest {
 protected:
  EmulatorOptions Options() override {
    EmulatorOptions options;
    options.clock = &clock_;
    return options;
  }
};

}  // namespace stripeline::emulator::testing
