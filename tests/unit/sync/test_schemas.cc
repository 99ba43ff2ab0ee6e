// This binary's code uses store/'s and sync/'s tables.

#include "unit/store/test_schemas.h"

#include "store/store_migrations.h"
#include "sync/sync_migrations.h"

namespace stripeline::test_util {

std::vector<const store::SchemaOwner*> TestSchemas() {
  return {&store::StoreSchema(), &sync::SyncSchema()};
}

}  // namespace stripeline::test_util
