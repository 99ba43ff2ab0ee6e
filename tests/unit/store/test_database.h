#pragma once
// OpenTestDatabase: what a unit test's fixture starts from — a SQLite database in a temp
// directory, migrated with the binary's owners (TestSchemas(), test_schemas.h), which the
// fixture owns as the composition root does; it builds the typed Store and the repositories
// over it. Adds a test failure and returns null when the database cannot be opened.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "store/database.h"
#include "store/open_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::test_util {

inline std::unique_ptr<store::Database> OpenTestDatabase(const std::filesystem::path& dir) {
  auto db = store::OpenDatabase("sqlite:" + (dir / "stripeline.db").string(), TestSchemas());
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

}  // namespace stripeline::test_util
