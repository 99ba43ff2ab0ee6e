// This binary's code uses store/'s tables only.

#include "unit/store/test_schemas.h"

#include "store/store_migrations.h"

namespace stripeline::test_util {

std::vector<const store::SchemaOwner*> TestSchemas() { return {&store::StoreSchema()}; }

}  // namespace stripeline::test_util
