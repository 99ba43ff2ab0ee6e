#pragma once
// StoreTest: a fixture with a real SQLite database in a temp dir, the typed Store over it, a FakeClock and a UserService,
// plus helpers to add users. Base of the access/, integrations/ and http/ unit tests (they
// include it as "unit/access/access_test_util.h"). One per test; not thread-safe.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "access/user_service.h"
#include "common/clock.h"
#include "store/store.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::test_util {

inline constexpr char kPassword[] = "correct horse battery";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
    store_ = std::make_unique<store::Store>(*db_);
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
  std::unique_ptr<store::Database> db_;  // as the composition root, the one that opens it
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<access::UserService> users_;
};

}  // namespace stripeline::test_util
