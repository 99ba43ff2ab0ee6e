#pragma once
// ApplyLegacyHistory: makes a database as the Stripeline before issue 12 left it, at a given
// version of its single history — the owners' migrations that were part of it (legacy_version
// != 0) in that history's order, recorded in its `schema_migrations(version, name,
// applied_at)`. Migrations never change, so their text is that release's. For the upgrade
// tests; not thread-safe.

#include <algorithm>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/migrations.h"

namespace stripeline::test_util {

inline constexpr int64_t kLegacyAppliedAt = 1'111;

inline Status ApplyLegacyHistory(store::Database& db,
                                 const std::vector<const store::SchemaOwner*>& owners,
                                 int64_t up_to_version) {
  SL_RETURN_IF_ERROR(db.Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version INTEGER PRIMARY KEY,"
                                " name TEXT NOT NULL,"
                                " applied_at BIGINT NOT NULL)",
                                {})
                         .status());
  std::vector<const store::Migration*> history;
  for (const store::SchemaOwner* owner : owners) {
    for (const store::Migration& m : owner->sqlite) {
      if (m.legacy_version != 0 && m.legacy_version <= up_to_version) history.push_back(&m);
    }
  }
  std::sort(history.begin(), history.end(),
            [](const auto* a, const auto* b) { return a->legacy_version < b->legacy_version; });
  for (const store::Migration* m : history) {
    SL_RETURN_IF_ERROR(db.Transaction([&]() -> Status {
      SL_RETURN_IF_ERROR(db.ExecuteScript(m->sql));
      return db
          .Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                   {m->legacy_version, m->name, kLegacyAppliedAt})
          .status();
    }));
  }
  return Status::OK();
}

}  // namespace stripeline::test_util
