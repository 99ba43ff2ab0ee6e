#pragma once
// Shared pieces of the store contract tests: a temp directory and the list of backends every
// contract suite runs against. SQLite always; PostgreSQL is to be added here (e.g. when
// STRIPELINE_TEST_POSTGRES_URL is set), giving each test a fresh schema.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "unit/common/temp_dir.h"
#include "store/sqlite/migrations.h"

namespace stripeline::store::test_util {

// The unit tests' temp directory (unit/common/temp_dir.h), under the name these suites use.
using TempDir = ::stripeline::test_util::TempDir;

struct Backend {
  std::string name;
  // A URL for OpenStore naming a fresh, empty database (file-based backends put it in `dir`).
  std::function<std::string(const std::filesystem::path& dir)> url;
  // The backend's own migration list.
  std::function<const std::vector<Migration>&()> migrations;
};

inline std::vector<Backend> Backends() {
  return {
      {"sqlite",
       [](const std::filesystem::path& dir) { return "sqlite:" + (dir / "stripeline.db").string(); },
       []() -> const std::vector<Migration>& { return sqlite::SqliteMigrations(); }},
  };
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

}  // namespace stripeline::store::test_util
