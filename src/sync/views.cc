#include "sync/views.h"

#include <boost/json.hpp>

#include <cmath>

#include "integrations/views.h"

namespace stripeline::sync {

namespace json = boost::json;

namespace {

template <typename T>
json::value OrNull(const std::optional<T>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// Rates are shown to one decimal: more digits are noise.
double Rounded(double value) { return std::round(value * 10) / 10; }

json::array Ids(const std::vector<std::string>& ids) {
  json::array out;
  for (const std::string& id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

json::object StreamProgressJson(const StreamProgress& stream) {
  return {{"stream", stream.stream},
          {"state", Name(stream.state)},
          {"objects", stream.objects},
          {"slices_done", stream.slices_done},
          {"slices_total", stream.slices_total},
          {"error", stream.error},
          {"missing_permission", OrNull(stream.missing_permission)}};
}

json::object SyncRunJson(const SyncRunResult& run) {
  json::array streams;
  for (const StreamProgress& s : run.streams) streams.push_back(StreamProgressJson(s));
  return {{"id", run.run_id},
          {"integration_id", run.integration_id},
          {"kind", Name(run.kind)},
          {"status", Name(run.status)},
          {"error", run.error},
          {"note", run.note},
          {"started_at", run.started_at},
          {"finished_at", OrNull(run.finished_at)},
          {"objects", run.objects},
          {"events", run.events},
          {"requests", run.requests},
          {"seconds", Rounded(run.seconds)},
          {"objects_per_second", Rounded(run.objects_per_second)},
          {"streams", std::move(streams)}};
}

json::object SyncStatusJson(const SyncStatus& status) {
  json::array streams;
  for (const StreamProgress& s : status.streams) streams.push_back(StreamProgressJson(s));
  json::array missing;
  for (const StreamProgress& s : status.streams) {
    if (s.missing_permission) {
      missing.push_back(json::object{{"stream", s.stream}, {"permission", *s.missing_permission}});
    }
  }
  auto run_or_null = [](const std::optional<SyncRunResult>& run) {
    return run ? json::value(SyncRunJson(*run)) : json::value(nullptr);
  };
  return {{"integration_id", status.integration_id},
          {"running", status.running},
          {"streams", std::move(streams)},
          {"missing_permissions", std::move(missing)},
          {"current_run", run_or_null(status.current_run)},
          {"last_run", run_or_null(status.last_run)},
          {"objects_per_second", Rounded(status.objects_per_second)},
          {"last_event", json::object{{"id", OrNull(status.last_event_id)},
                                      {"created", OrNull(status.last_event_created)}}},
          {"backfill_completed_at", OrNull(status.backfill_completed_at)}};
}

namespace {

json::array StreamVerificationsJson(const VerifyReport& report) {
  json::array streams;
  for (const StreamVerification& v : report.streams) {
    streams.push_back(json::object{{"stream", v.stream},
                                   {"result", v.result},
                                   {"local_count", v.local_count},
                                   {"remote_count", v.remote_count},
                                   {"missing_locally", Ids(v.missing_locally)},
                                   {"extra_locally", Ids(v.extra_locally)},
                                   {"error", v.error}});
  }
  return streams;
}

}  // namespace

json::object VerifyReportJson(const VerifyReport& report) {
  return {{"integration_id", report.integration_id},
          {"equal", report.equal},
          {"streams", StreamVerificationsJson(report)}};
}

json::object VerificationJson(const Verification& verification) {
  const std::optional<VerifyReport>& report = verification.report;
  return {{"id", verification.id},
          {"integration_id", verification.integration_id},
          {"state", Name(verification.state)},
          {"started_at", verification.started_at},
          {"finished_at", OrNull(verification.finished_at)},
          {"error", verification.error},
          {"equal", report ? json::value(report->equal) : json::value(nullptr)},
          {"streams", report ? StreamVerificationsJson(*report) : json::array()}};
}

json::object IntegrationJson(const store::Integration& integration,
                             const std::optional<SyncRunResult>& last_run) {
  json::object out = integrations::IntegrationJson(integration);
  json::value last_sync = nullptr;
  if (last_run) {
    const SyncRunResult& run = *last_run;
    last_sync = json::object{{"run_id", run.run_id},
                             {"status", Name(run.status)},
                             {"kind", Name(run.kind)},
                             {"started_at", run.started_at},
                             {"finished_at", OrNull(run.finished_at)}};
  }
  out["last_sync"] = std::move(last_sync);
  return out;
}

json::object SavedJson(const integrations::Saved& saved,
                       const std::optional<SyncRunResult>& last_run) {
  json::array warnings;
  for (const auto& warning : saved.warnings) warnings.push_back(json::string(warning));
  return {{"integration", IntegrationJson(saved.integration, last_run)},
          {"message", saved.message},
          {"warnings", std::move(warnings)}};
}

json::object WebhookJson(const WebhookConfig& config) {
  return {{"url_path", config.url_path},
          {"secret_masked", config.secret_masked},
          {"created_at", config.created_at},
          {"previous_secret_masked", OrNull(config.previous_secret_masked)},
          {"previous_expires_at", OrNull(config.previous_expires_at)},
          {"events",
           {{"received", config.events.received},
            {"applied", config.events.applied},
            {"pending", config.events.pending},
            {"failed", config.events.failed},
            {"last_received_at", OrNull(config.events.last_received_at)}}}};
}

json::object SecretChangeJson(const SecretChange& change) {
  json::object out{{"webhook", WebhookJson(change.webhook)}, {"message", change.message}};
  if (change.generated_secret) out["secret"] = *change.generated_secret;
  return out;
}

json::object ReceiptJson(const Receipt& receipt) {
  json::object out{{"received", true}};
  if (receipt.duplicate) out["duplicate"] = true;
  if (receipt.waiting_for_activation) {
    out["message"] =
        "The integration is inactive: the event is stored and will be applied when it is "
        "activated.";
  }
  return out;
}

}  // namespace stripeline::sync
