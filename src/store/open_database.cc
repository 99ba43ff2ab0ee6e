#include "store/open_database.h"

#include <string_view>

#include "store/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace stripeline::store {

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                               const std::vector<const SchemaOwner*>& owners) {
  std::string_view rest(url);
  if (rest.starts_with("postgres://") || rest.starts_with("postgresql://")) {
    return Status::InvalidArgument("PostgreSQL support is not built yet");
  }
  if (rest.starts_with("sqlite://")) {
    rest.remove_prefix(std::string_view("sqlite://").size());
  } else if (rest.starts_with("sqlite:")) {
    rest.remove_prefix(std::string_view("sqlite:").size());
  } else if (rest.find("://") != std::string_view::npos) {
    return Status::InvalidArgument("Unsupported database URL '" + url +
                                   "': use sqlite:/path/to/file.db (or a plain path)");
  }
  if (rest.empty()) {
    return Status::InvalidArgument("The database URL '" + url + "' names no file");
  }
  SL_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteDatabase> db,
                      sqlite::SqliteDatabase::Open(std::string(rest)));
  SL_RETURN_IF_ERROR(Migrate(*db, owners));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace stripeline::store
