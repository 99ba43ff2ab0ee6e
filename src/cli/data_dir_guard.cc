#include "cli/data_dir_guard.h"

#include <filesystem>

#include "common/secrets.h"
#include "integrations/credentials.h"

namespace stripeline::cli {

namespace fs = std::filesystem;

namespace {

constexpr char kMasterKeyFile[] = "master.key";

// The path of a SQLite URL (sqlite:PATH or a plain path); empty for other backends.
std::string SqlitePath(const std::string& data_dir, const std::string& database_url) {
  if (database_url.empty()) return (fs::path(data_dir) / "stripeline.db").string();
  if (database_url.starts_with("sqlite:")) return database_url.substr(7);
  if (database_url.find("://") == std::string::npos) return database_url;
  return "";
}

}  // namespace

Status CheckDatabaseNotEmptied(const std::string& data_dir, const std::string& database_url,
                               bool initialize) {
  const std::string path = SqlitePath(data_dir, database_url);
  if (initialize || path.empty() || path == ":memory:") return Status::OK();
  std::error_code ec;
  const fs::path key = fs::path(data_dir) / kMasterKeyFile;
  if (!fs::exists(key, ec) || !fs::exists(path, ec) || fs::file_size(path, ec) != 0 || ec) {
    return Status::OK();
  }
  return Status::FailedPrecondition(
      "The database " + path + " is empty, but the master key " + key.string() +
          " beside it belongs to an installation that had data: this looks like a lost "
          "database, not a new installation. Restore the database from a backup (with the "
          "same master key). To start anew on purpose — a new administrator, no integrations, "
          "the old data gone — start once with --initialize.",
      "database_emptied");
}

Result<std::string> LoadMasterKeyFor(store::Store& store, const std::string& data_dir,
                                     const std::optional<std::string>& env_key) {
  SL_ASSIGN_OR_RETURN(std::vector<store::Integration> integrations,
                      store.ListIntegrations(std::nullopt));
  const store::Integration* sealed = nullptr;
  for (const store::Integration& integration : integrations) {
    if (!integration.credentials_sealed.empty()) {
      sealed = &integration;
      break;
    }
  }
  const fs::path key_file = fs::path(data_dir) / kMasterKeyFile;
  std::error_code ec;
  if (sealed != nullptr && !env_key && !fs::exists(key_file, ec)) {
    return Status::FailedPrecondition(
        "The database holds credentials sealed with a master key, but " + key_file.string() +
            " is missing and STRIPELINE_MASTER_KEY is not set. Restore master.key from the "
            "backup of this data directory (or set STRIPELINE_MASTER_KEY to the key): a new key "
            "could not open them. Nothing was changed.",
        "master_key_missing");
  }
  SL_ASSIGN_OR_RETURN(std::string key, LoadOrCreateMasterKey(data_dir, env_key));
  if (sealed == nullptr) return key;
  const SecretBox box(key);
  if (!integrations::OpenCredentials(box, *sealed).ok()) {
    const std::string source = env_key ? "STRIPELINE_MASTER_KEY" : key_file.string();
    return Status::FailedPrecondition(
        "The master key (" + source + ") does not open the credentials in the database: it "
            "is not the key they were sealed with. Restore the master.key that belongs to this "
            "database (from the same backup). Nothing was changed.",
        "master_key_mismatch");
  }
  return key;
}

}  // namespace stripeline::cli
