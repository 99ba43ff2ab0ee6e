#pragma once
// OpenDatabase: picks the backend from a database URL, opens it and brings its schema up to
// date. The composition root (cli::Runtime) calls it once and owns the Database; the typed
// Store and the other subsystems' repositories are built over it.

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace stripeline::store {

// `url` is `sqlite:/path/to/file.db`, `sqlite:///abs/path.db`, `sqlite::memory:` or a plain
// file path (SQLite). `postgres://...` / `postgresql://...` are reserved for the PostgreSQL
// backend (InvalidArgument until it is built). Runs the pending migrations of `owners` (lower
// layers first: StoreSchema(), then sync's, then reports'; a caller passes those whose tables
// it uses); FailedPrecondition when the database was written by a newer Stripeline (a schema
// version unknown to this build). Thread-safe (each call opens its own connection).
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                               const std::vector<const SchemaOwner*>& owners);

}  // namespace stripeline::store
