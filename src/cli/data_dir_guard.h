#pragma once
// What must hold before a command works on a data directory, so that a lost master key or a
// lost database never passes silently for a new installation: a service that started with a
// new key would say "ready" while every stored credential had become unreadable (and seal new
// ones with the wrong key); one that started on an emptied database would create a new
// administrator over an installation whose data is gone. Both are refused with a message that
// says what to restore. Thread-safety: plain functions, called once at start-up.

#include <optional>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace stripeline::cli {

// Before the database is opened: a SQLite database file of 0 bytes beside an existing master
// key is a lost database (a fresh installation has neither). FailedPrecondition
// "database_emptied" unless `initialize` (the operator's explicit wish to start anew).
Status CheckDatabaseNotEmptied(const std::string& data_dir, const std::string& database_url,
                               bool initialize);

// The master key for the open `store`: STRIPELINE_MASTER_KEY's (`env_key`) or
// `<data_dir>/master.key`'s, created only while the store holds no sealed secret. When it holds
// some, the key must open one of them: FailedPrecondition "master_key_missing" /
// "master_key_mismatch" otherwise, and no key file is created.
Result<std::string> LoadMasterKeyFor(store::Store& store, const std::string& data_dir,
                                     const std::optional<std::string>& env_key);

}  // namespace stripeline::cli
