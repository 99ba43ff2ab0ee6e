#include "store/sqlite/sqlite_database.h"

#include <charconv>
#include <filesystem>
#include <limits>

#include "common/log.h"
#include "common/private_files.h"

namespace stripeline::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr size_t kSqlSnippetChars = 60;

std::string Snippet(std::string_view sql) {
  std::string out;
  for (char c : sql.substr(0, kSqlSnippetChars)) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

bool OnlyWhitespace(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t' && *p != ';') return false;
  }
  return true;
}

// "$12" -> 12; 0 for anything that is not a canonical `$N` with N >= 1.
int ParamNumber(const char* name) {
  if (name == nullptr || name[0] != '$' || name[1] == '0') return 0;
  const std::string_view digits(name + 1);
  int n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 1) return 0;
  return n;
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("The SQLite database path is empty");
  const bool in_memory = path == ":memory:";
  if (!in_memory) {
    // The database holds password hashes and customer data: its directory and files are the
    // service user's alone. SQLite gives the -wal and -shm files the database file's mode.
    SL_RETURN_IF_ERROR(CreatePrivateDirectories(std::filesystem::path(path).parent_path())
                           .WithContext("Cannot open the database"));
    SL_RETURN_IF_ERROR(MakePrivateFile(path));
    SL_RETURN_IF_ERROR(RestrictIfExists(path + "-wal"));
    SL_RETURN_IF_ERROR(RestrictIfExists(path + "-shm"));
  }
  sqlite3* raw = nullptr;
  // Our own mutex serialises all use of the connection, so SQLite's is not needed.
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  ConnectionPtr db(raw);
  if (rc != SQLITE_OK) {
    return Status::Internal("Cannot open SQLite database " + path + ": " +
                            (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(path, std::move(db)));
  if (!in_memory) {
    Result<Rows> mode = database->Query("PRAGMA journal_mode=WAL", {});
    if (!mode.ok()) return mode.status().WithContext("Cannot enable WAL on " + path);
    if (mode->empty() || (*mode)[0].GetString(0) != "wal") {
      return Status::Internal("SQLite refused WAL journal mode on " + path +
                              " (is it on a network file system?)");
    }
  }
  // A 32 MB page cache (SQLite's default is 2 MB): the primary-key indexes of big stream
  // tables are written in random id order, and with the default a backfill spent much of its
  // time re-reading index pages it had just evicted (docs/PERFORMANCE.md).
  SL_RETURN_IF_ERROR(database
                         ->ExecuteScript("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
                                         "PRAGMA cache_size=-32768;")
                         .WithContext("Cannot configure " + path));
  if (!in_memory) {
    SL_ASSIGN_OR_RETURN(database->checkpointer_,
                        WalCheckpointer::Start(database->db_.get(), path));
  }
  return database;
}

SqliteDatabase::SqliteDatabase(std::string path, ConnectionPtr db)
    : path_(std::move(path)), db_(std::move(db)) {}

SqliteDatabase::~SqliteDatabase() {
  std::lock_guard lock(mu_);
  checkpointer_.reset();  // its hook and connection go before the writer's connection
  statements_.clear();    // finalize before the connection closes
}

Status SqliteDatabase::ErrorStatus(int rc, std::string_view sql) const {
  const int extended = db_ ? sqlite3_extended_errcode(db_.get()) : rc;
  const std::string message = std::string("SQLite: ") +
                              (db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc)) + " (in: " +
                              Snippet(sql) + ")";
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::AlreadyExists(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::FailedPrecondition(message);
    default:
      break;
  }
  switch (extended & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(message, "database_busy");
    // What the operator can fix: said plainly, without the SQL (which goes to the log).
    case SQLITE_FULL:
      log::Error("database.disk_full", {{"detail", message}});
      return Status::Unavailable(
          "The disk holding the database is full: nothing of this request was saved. Free "
          "space on it (or move the data directory to a larger disk), then try again.",
          "storage_full");
    case SQLITE_READONLY:
      log::Error("database.read_only", {{"detail", message}});
      return Status::Unavailable(
          "The database cannot be written: its file or file system is read-only. Make the data "
          "directory writable for the service's user, then try again.",
          "storage_read_only");
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      log::Error("database.io_error", {{"detail", message}});
      return Status::Internal("The database could not be read or written; see the server log.",
                              "database_error");
    default:
      return Status::Internal(message, "database_error");
  }
}

Result<SqliteDatabase::Prepared*> SqliteDatabase::Prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return &it->second;

  if (sql.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return Status::InvalidArgument("SQL statement too long");
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return ErrorStatus(rc, sql);
  if (!stmt) return Status::Internal("Empty SQL statement");
  if (!OnlyWhitespace(tail, sql.data() + sql.size())) {
    return Status::Internal("More than one SQL statement given to Execute/Query (in: " +
                            Snippet(sql) + ")");
  }

  Prepared prepared{std::move(stmt), {}};
  const int count = sqlite3_bind_parameter_count(prepared.stmt.get());
  for (int slot = 1; slot <= count; ++slot) {
    const char* name = sqlite3_bind_parameter_name(prepared.stmt.get(), slot);
    const int number = ParamNumber(name);
    if (number == 0) {
      return Status::Internal(std::string("Unsupported placeholder '") + (name ? name : "?") +
                              "': use $1, $2, ... (in: " + Snippet(sql) + ")");
    }
    if (prepared.slot_of_param.size() < static_cast<size_t>(number)) {
      prepared.slot_of_param.resize(number, 0);
    }
    prepared.slot_of_param[number - 1] = slot;
  }
  for (size_t k = 0; k < prepared.slot_of_param.size(); ++k) {
    if (prepared.slot_of_param[k] == 0) {
      return Status::Internal("Placeholder $" + std::to_string(k + 1) +
                              " is not used while a higher one is (in: " + Snippet(sql) + ")");
    }
  }
  auto [it, inserted] = statements_.emplace(key, std::move(prepared));
  return &it->second;
}

Status SqliteDatabase::Run(std::string_view sql, const std::vector<Value>& params, Rows* rows) {
  SL_ASSIGN_OR_RETURN(Prepared * prepared, Prepare(sql));
  sqlite3_stmt* stmt = prepared->stmt.get();
  if (params.size() != prepared->slot_of_param.size()) {
    return Status::Internal("The statement uses " + std::to_string(prepared->slot_of_param.size()) +
                            " placeholder(s) but " + std::to_string(params.size()) +
                            " parameter(s) were given (in: " + Snippet(sql) + ")");
  }
  // Reset on every exit: a statement left mid-step would hold a read snapshot (and, with
  // SQLITE_STATIC binding, point at the caller's strings).
  struct ResetGuard {
    sqlite3_stmt* stmt;
    ~ResetGuard() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  } guard{stmt};

  for (size_t k = 0; k < params.size(); ++k) {
    const int slot = prepared->slot_of_param[k];
    const Value& v = params[k];
    int rc = SQLITE_OK;
    if (const auto* i = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, slot, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, slot, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, slot, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, slot);
    }
    if (rc != SQLITE_OK) return ErrorStatus(rc, sql);
  }

  std::vector<Row> collected;
  std::shared_ptr<const std::vector<std::string>> columns;
  int column_count = 0;
  if (rows != nullptr) {
    column_count = sqlite3_column_count(stmt);
    auto names = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < column_count; ++c) {
      const char* name = sqlite3_column_name(stmt, c);
      names->emplace_back(name ? name : "");
    }
    columns = std::move(names);
  }
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return ErrorStatus(rc, sql);
    if (rows == nullptr) continue;
    std::vector<Value> values;
    values.reserve(column_count);
    for (int c = 0; c < column_count; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, c));
          break;
        case SQLITE_NULL:
          values.emplace_back(std::monostate{});
          break;
        default: {  // TEXT or BLOB
          const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, c));
          const int size = sqlite3_column_bytes(stmt, c);
          values.emplace_back(std::string(data ? data : "", data ? size : 0));
        }
      }
    }
    collected.emplace_back(columns, std::move(values));
  }
  if (rows != nullptr) *rows = Rows(std::move(columns), std::move(collected));
  return Status::OK();
}

Result<int64_t> SqliteDatabase::Execute(std::string_view sql, const std::vector<Value>& params) {
  std::lock_guard lock(mu_);
  SL_RETURN_IF_ERROR(Run(sql, params, nullptr));
  return static_cast<int64_t>(sqlite3_changes64(db_.get()));
}

Result<Rows> SqliteDatabase::Query(std::string_view sql, const std::vector<Value>& params) {
  std::lock_guard lock(mu_);
  Rows rows;
  SL_RETURN_IF_ERROR(Run(sql, params, &rows));
  return rows;
}

Status SqliteDatabase::Transaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  const int depth = transaction_depth_;
  const std::string savepoint = "sl_savepoint_" + std::to_string(depth);
  // IMMEDIATE takes the write lock up front: a deferred transaction that later upgrades can fail
  // with SQLITE_BUSY at once, without waiting for busy_timeout.
  SL_RETURN_IF_ERROR(Run(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint, {}, nullptr));
  ++transaction_depth_;

  auto rollback = [&] {
    // Some errors (e.g. SQLITE_FULL) already rolled back; a failing ROLLBACK then is harmless.
    if (depth == 0) {
      (void)Run("ROLLBACK", {}, nullptr);
    } else {
      (void)Run("ROLLBACK TO " + savepoint, {}, nullptr);
      (void)Run("RELEASE " + savepoint, {}, nullptr);
    }
  };

  Status status;
  try {
    status = body();
  } catch (...) {
    --transaction_depth_;
    rollback();
    throw;
  }
  --transaction_depth_;
  if (!status.ok()) {
    rollback();
    return status;
  }
  Status committed = Run(depth == 0 ? "COMMIT" : "RELEASE " + savepoint, {}, nullptr);
  if (!committed.ok()) rollback();
  return committed;
}

Status SqliteDatabase::DurableTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  if (transaction_depth_ > 0) return Transaction(body);  // the outer commit decides
  // synchronous is read at commit time; the mutex keeps other threads' commits out meanwhile.
  SL_RETURN_IF_ERROR(Run("PRAGMA synchronous=FULL", {}, nullptr));
  Status status = Transaction(body);
  Status restored = Run("PRAGMA synchronous=NORMAL", {}, nullptr);
  return status.ok() ? restored : status;
}

Status SqliteDatabase::ExecuteScript(std::string_view sql) {
  std::lock_guard lock(mu_);
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
  if (error != nullptr) sqlite3_free(error);  // the same text is in sqlite3_errmsg
  if (rc != SQLITE_OK) return ErrorStatus(rc, sql);
  return Status::OK();
}

}  // namespace stripeline::store::sqlite
