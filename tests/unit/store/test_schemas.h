#pragma once
// TestSchemas: the schema owners a test binary opens its stores with, lower layers first. Each
// binary defines it once, in its test_schemas.cc, with the owners whose tables its code uses
// (unit_store: store's own; unit_sync: store's and sync's; unit_reports, unit_http: all), as
// the composition root (cli/runtime.cc) does for the service.

#include <vector>

#include "store/migrations.h"

namespace stripeline::test_util {

std::vector<const store::SchemaOwner*> TestSchemas();

}  // namespace stripeline::test_util
