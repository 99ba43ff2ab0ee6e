#include "sync/verification_store.h"

#include <sstream>
#include <vector>

namespace stripeline::sync {

using store::OptionalValue;
using store::Row;
using store::Rows;

namespace {

constexpr char kColumns[] =
    "id, integration_id, state, started_at, finished_at, error, holder, host, pid, "
    "process_start";
constexpr char kInterrupted[] =
    "interrupted: the process stopped during the verification; start it again";

// Ids hold no spaces (Stripe's never do), so a space separates them.
std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string id; in >> id;) out.push_back(id);
  return out;
}

// Whether the process that holds a row may still be working on it: one of this host is asked;
// of another host nothing can be known, so it is taken to be.
bool HolderMayRun(const Row& row, const std::string& this_host) {
  if (row.GetString("host") != this_host) return true;
  return LeaseHolder::ProcessAlive(row.GetInt("pid"), row.GetString("process_start"));
}

Result<Verification> FromRow(const Row& row) {
  Verification v;
  v.id = row.GetString("id");
  v.integration_id = row.GetString("integration_id");
  SL_ASSIGN_OR_RETURN(v.state, ParseVerificationState(row.GetString("state")));
  v.started_at = row.GetInt("started_at");
  v.finished_at = row.GetOptionalInt("finished_at");
  v.error = row.GetString("error");
  return v;
}

}  // namespace

Status VerificationStore::Interrupt(const std::string& id, int64_t now) {
  return db_
      .Execute("UPDATE sync_verifications SET state = $2, finished_at = $3, error = $4 "
               "WHERE id = $1",
               {id, std::string(Name(VerificationState::kFailed)), now,
                std::string(kInterrupted)})
      .status();
}

Result<std::optional<Verification>> VerificationStore::Begin(const Verification& verification,
                                                            const LeaseHolder& holder,
                                                            int64_t now) {
  std::optional<Verification> running;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(
        Rows rows,
        db_.Query(std::string("SELECT ") + kColumns +
                      " FROM sync_verifications WHERE integration_id = $1 AND state IN ($2, $3)",
                  {verification.integration_id, std::string(Name(VerificationState::kQueued)),
                   std::string(Name(VerificationState::kRunning))}));
    for (const Row& row : rows) {
      if (row.GetString("holder") == holder.id || HolderMayRun(row, holder.host)) {
        SL_ASSIGN_OR_RETURN(running, FromRow(row));
        return Status::OK();
      }
      SL_RETURN_IF_ERROR(Interrupt(row.GetString("id"), now));
    }
    return db_
        .Execute(std::string("INSERT INTO sync_verifications (") + kColumns +
                     ") VALUES ($1, $2, $3, $4, NULL, '', $5, $6, $7, $8)",
                 {verification.id, verification.integration_id,
                  std::string(Name(verification.state)), verification.started_at, holder.id,
                  holder.host, holder.pid, holder.process_start})
        .status();
  }));
  return running;
}

Status VerificationStore::SetState(const std::string& id, VerificationState state) {
  return db_
      .Execute("UPDATE sync_verifications SET state = $2 WHERE id = $1",
               {id, std::string(Name(state))})
      .status();
}

Status VerificationStore::Finish(const Verification& v) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db_.Execute("UPDATE sync_verifications SET state = $2, finished_at = $3, "
                                   "error = $4 WHERE id = $1",
                                   {v.id, std::string(Name(v.state)),
                                    OptionalValue(v.finished_at), v.error})
                           .status());
    if (!v.report) return Status::OK();
    int64_t position = 0;
    for (const StreamVerification& s : v.report->streams) {
      SL_RETURN_IF_ERROR(
          db_.Execute("INSERT INTO sync_verification_streams (verification_id, position, "
                      "stream, result, local_count, remote_count, missing_locally, "
                      "extra_locally, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      {v.id, position++, s.stream, s.result, s.local_count, s.remote_count,
                       JoinIds(s.missing_locally), JoinIds(s.extra_locally), s.error})
              .status());
    }
    return Status::OK();
  });
}

Result<int64_t> VerificationStore::MarkInterrupted(const std::string& this_host, int64_t now) {
  int64_t marked = 0;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(
        Rows rows, db_.Query(std::string("SELECT ") + kColumns +
                                 " FROM sync_verifications WHERE state IN ($1, $2)",
                             {std::string(Name(VerificationState::kQueued)),
                              std::string(Name(VerificationState::kRunning))}));
    for (const Row& row : rows) {
      if (HolderMayRun(row, this_host)) continue;
      SL_RETURN_IF_ERROR(Interrupt(row.GetString("id"), now));
      ++marked;
    }
    return Status::OK();
  }));
  return marked;
}

Result<std::optional<Verification>> VerificationStore::Get(const std::string& id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(std::string("SELECT ") + kColumns +
                                               " FROM sync_verifications WHERE id = $1",
                                           {id}));
  if (rows.empty()) return std::optional<Verification>();
  SL_ASSIGN_OR_RETURN(Verification v, FromRow(rows[0]));
  if (v.state != VerificationState::kSucceeded) return std::optional<Verification>(std::move(v));
  SL_ASSIGN_OR_RETURN(Rows streams,
                      db_.Query("SELECT stream, result, local_count, remote_count, "
                                "missing_locally, extra_locally, error FROM "
                                "sync_verification_streams WHERE verification_id = $1 "
                                "ORDER BY position",
                                {id}));
  VerifyReport report;
  report.integration_id = v.integration_id;
  for (const Row& row : streams) {
    StreamVerification s;
    s.stream = row.GetString("stream");
    s.result = row.GetString("result");
    s.local_count = row.GetInt("local_count");
    s.remote_count = row.GetInt("remote_count");
    s.missing_locally = SplitIds(row.GetString("missing_locally"));
    s.extra_locally = SplitIds(row.GetString("extra_locally"));
    s.error = row.GetString("error");
    // As the Verifier decides it: an unreadable stream does not make the report unequal.
    if (s.result == "different") report.equal = false;
    report.streams.push_back(std::move(s));
  }
  v.report = std::move(report);
  return std::optional<Verification>(std::move(v));
}

Result<std::optional<Verification>> VerificationStore::Latest(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query("SELECT id FROM sync_verifications WHERE "
                                           "integration_id = $1 ORDER BY started_at DESC, "
                                           "rowid DESC LIMIT 1",
                                           {integration_id}));
  if (rows.empty()) return std::optional<Verification>();
  return Get(rows[0].GetString(0));
}

Status VerificationStore::DeleteIntegration(const std::string& integration_id) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db_.Execute("DELETE FROM sync_verification_streams WHERE verification_id "
                                   "IN (SELECT id FROM sync_verifications WHERE "
                                   "integration_id = $1)",
                                   {integration_id})
                           .status());
    return db_.Execute("DELETE FROM sync_verifications WHERE integration_id = $1",
                       {integration_id})
        .status();
  });
}

}  // namespace stripeline::sync
