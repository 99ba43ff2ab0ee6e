#pragma once
// The SQLite schema history, oldest first. Append new migrations; never edit a released one.

#include <vector>

#include "store/migrations.h"

namespace stripeline::store::sqlite {

// Ordered by version; a static list, safe to use from any thread.
const std::vector<Migration>& SqliteMigrations();

}  // namespace stripeline::store::sqlite
