#pragma once
// OpenStore: picks the backend from a database URL, opens it and brings its schema up to date.

#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace stripeline::store {

// `url` is `sqlite:/path/to/file.db`, `sqlite:///abs/path.db`, `sqlite::memory:` or a plain
// file path (SQLite). `postgres://...` / `postgresql://...` are reserved for the PostgreSQL
// backend (InvalidArgument until it is built). Runs pending migrations; FailedPrecondition when
// the database was written by a newer Stripeline (schema version unknown to this build).
// Thread-safe (each call opens its own connection).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace stripeline::store
