#pragma once
// StoreTest: a fixture with a real SQLite store in a temp dir, a FakeClock and a UserService,
// plus helpers to add users. Base of the access/, integrations/ and http/ unit tests (they
// include it as "unit/access/access_test_util.h"). One per test; not thread-safe.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "access/user_service.h"
#include "common/clock.h"
#include "store/open_store.h"
#include "store/store.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_schemas.h"

namespace stripeline::test_util {

inline constexpr char kPassword[] = "correct horse battery";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite:" + (dir_.path() / "stripeline.db").string(),
                                   test_util::TestSchemas());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    users_ = std::make_unique<access::UserService>(*store_, clock_, session_options_);
  }

  // Adds a user (as the local operator) and fails the test if that fails.
  store::User AddUser(const std::string& email, store::Role role,
                      const std::string& password = kPassword) {
    auto user = users_->CreateUser(access::Actor::LocalOperator(), email, role, password);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? *user : store::User{};
  }

  access::Actor ActorOf(const store::User& user) {
    auto actor = users_->ActorFor(user);
    EXPECT_TRUE(actor.ok()) << actor.status().ToString();
    return actor.ok() ? *actor : access::Actor{};
  }

  TempDir dir_;
  FakeClock clock_;
  access::SessionOptions session_options_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<access::UserService> users_;
};

}  // namespace stripeline::test_util
