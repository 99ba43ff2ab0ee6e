#pragma once
// Shared pieces of the store contract tests: a temp directory and the list of backends every
// contract suite runs against. SQLite always; PostgreSQL is to be added here (e.g. when
// STRIPELINE_TEST_POSTGRES_URL is set), giving each test a fresh schema.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/entities.h"
#include "store/migrations.h"
#include "unit/common/temp_dir.h"
#include "store/store_migrations.h"
#include "unit/store/test_schemas.h"

namespace stripeline::store::test_util {

// The unit tests' temp directory (unit/common/temp_dir.h), under the name these suites use.
using TempDir = ::stripeline::test_util::TempDir;
// The owners unit_store opens its stores with (store's own: test_schemas.cc).
using ::stripeline::test_util::TestSchemas;

struct Backend {
  std::string name;
  // A URL for OpenDatabase naming a fresh, empty database (file-based backends put it in `dir`).
  std::function<std::string(const std::filesystem::path& dir)> url;
  // The backend's list of store/'s own migrations.
  std::function<const std::vector<Migration>&()> migrations;
};

inline std::vector<Backend> Backends() {
  return {
      {"sqlite",
       [](const std::filesystem::path& dir) { return "sqlite:" + (dir / "stripeline.db").string(); },
       []() -> const std::vector<Migration>& { return StoreSchema().sqlite; }},
  };
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// An integration with every field set (for round trips), of no client unless given.
inline Integration MakeIntegration(std::string id, std::optional<std::string> client_id = std::nullopt) {
  Integration i;
  i.id = std::move(id);
  i.name = "Main account " + i.id;
  i.client_id = std::move(client_id);
  i.auth_scheme = "restricted_key";
  i.credentials_sealed = "v1:c2VhbGVk";
  i.secret_key_masked = "rk_live_...abcd";
  i.account_id = "acct_connected";
  i.stripe_account_id = "acct_123";
  i.stripe_account_name = "Acme Ltd";
  i.livemode = true;
  i.active = true;
  i.health = Health::kOk;
  i.health_reason = "";
  i.health_checked_at = 1'700'000'100;
  i.missing_permissions = {"rak_charge_read", "with \"quotes\" and \\ and é"};
  i.last_sync_at = 1'700'000'200;
  i.created_at = 1'700'000'000;
  i.updated_at = 1'700'000'050;
  return i;
}

}  // namespace stripeline::store::test_util
