// This binary's code uses every subsystem's tables.

#include "unit/store/test_schemas.h"

#include "reports/report_migrations.h"
#include "store/store_migrations.h"
#include "sync/sync_migrations.h"

namespace stripeline::test_util {

std::vector<const store::SchemaOwner*> TestSchemas() {
  return {&store::StoreSchema(), &sync::SyncSchema(), &reports::ReportSchema()};
}

}  // namespace stripeline::test_util
