#include "sync/webhook_intake.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>

#include "common/log.h"
#include "stripe/webhook_signature.h"
#include "sync/data_scope.h"

namespace stripeline::sync {

namespace json = boost::json;

namespace {

constexpr size_t kGeneratedSecretBytes = 24;  // 32 characters after whsec_
constexpr int kApplierNice = 10;

std::string UrlPath(const std::string& integration_id) {
  return "/webhooks/stripe/" + integration_id;
}

std::string StringField(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

bool Retryable(const Status& status) {
  return status.code() != StatusCode::kInvalidArgument && status.code() != StatusCode::kNotFound;
}

}  // namespace

Result<WebhookEvent> ParseWebhookEvent(std::string_view payload) {
  const Status invalid = Status::InvalidArgument(
      "The payload is signed but is not a Stripe event: expected a JSON object with id, type "
      "and created.",
      "webhook_invalid_event");
  boost::system::error_code ec;
  json::value value = json::parse(payload, ec);
  if (ec || !value.is_object()) return invalid;
  const json::object& object = value.get_object();
  WebhookEvent event;
  event.event_id = StringField(object, "id");
  event.type = StringField(object, "type");
  const json::value* created = object.if_contains("created");
  if (event.event_id.empty() || event.type.empty() || created == nullptr || !created->is_int64()) {
    return invalid;
  }
  event.created = created->get_int64();
  const json::value* livemode = object.if_contains("livemode");
  event.livemode = livemode != nullptr && livemode->is_bool() && livemode->get_bool();
  std::string account = StringField(object, "account");
  if (!account.empty()) event.account = std::move(account);
  event.payload = std::string(payload);
  return event;
}

// A caller waiting in StoreDurably. The front of writers_ commits for everyone queued.
struct WebhookIntake::Writer {
  const WebhookEvent* event;
  Result<bool> result = Status::Internal("not committed");
  bool done = false;
  std::condition_variable cv;
};

WebhookIntake::WebhookIntake(store::Database& db, store::Store& store,
                             integrations::IntegrationService& integrations, const SecretBox& box,
                             EventApplier& applier, Clock& clock, WebhookIntakeOptions options)
    : store_(store),
      webhooks_(db),
      integrations_(integrations),
      box_(box),
      applier_(applier),
      clock_(clock),
      options_(options) {}

WebhookIntake::~WebhookIntake() { Stop(); }

// ---- Signing secrets ----

Result<store::Integration> WebhookIntake::VisibleIntegration(const access::Actor& actor,
                                                             const std::string& integration_id) {
  return integrations_.Get(actor, integration_id);
}

Status WebhookIntake::Audit(const access::Actor& actor, const std::string& integration_id,
                            const std::string& action, std::string summary) {
  store::AuditEntry entry{.id = 0,
                          .at = clock_.NowUnix(),
                          .actor = actor.email,
                          .action = action,
                          .integration_id = integration_id,
                          .summary = std::move(summary),
                          .details_json = "{}"};
  return store_.AppendAudit(entry).status();
}

Result<WebhookConfig> WebhookIntake::ConfigOf(const std::string& integration_id) {
  auto secrets = webhooks_.GetSecrets(integration_id);
  if (!secrets.ok()) {
    if (secrets.status().code() != StatusCode::kNotFound) return secrets.status();
    return Status::NotFound("Webhooks are not set up for integration '" + integration_id +
                                "': set a signing secret with POST /api/v1/integrations/" +
                                integration_id + "/webhook-secret.",
                            "webhook_not_configured");
  }
  WebhookConfig config{.integration_id = integration_id,
                       .url_path = UrlPath(integration_id),
                       .secret_masked = secrets->secret_masked,
                       .created_at = secrets->created_at};
  const int64_t now = clock_.NowUnix();
  if (secrets->previous_sealed && secrets->previous_expires_at &&
      *secrets->previous_expires_at > now) {
    config.previous_secret_masked = secrets->previous_masked;
    config.previous_expires_at = secrets->previous_expires_at;
  }
  SL_ASSIGN_OR_RETURN(config.events, webhooks_.CountEvents(integration_id));
  return config;
}

Result<SecretChange> WebhookIntake::SetSecret(const access::Actor& actor,
                                              const std::string& integration_id,
                                              std::optional<std::string> secret,
                                              std::optional<std::chrono::seconds> overlap) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "set webhook signing secrets"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, VisibleIntegration(actor, integration_id));
  const std::chrono::seconds window = overlap.value_or(options_.default_overlap);
  if (window.count() < 0 || window > options_.max_overlap) {
    return Status::InvalidArgument("overlap_seconds must be between 0 (revoke the previous secret "
                                   "now) and " + std::to_string(options_.max_overlap.count()) +
                                       " (7 days).",
                                   "invalid_overlap");
  }
  const bool generated = !secret.has_value();
  if (secret) {
    SL_RETURN_IF_ERROR(stripe::ValidateWebhookSecret(*secret));
  } else {
    secret = RandomToken("whsec_", kGeneratedSecretBytes);
  }
  SL_ASSIGN_OR_RETURN(std::string sealed, box_.Seal(*secret, integration.id));
  const int64_t now = clock_.NowUnix();

  bool rotated = false;
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    WebhookSecrets next{.integration_id = integration.id,
                               .secret_sealed = sealed,
                               .secret_masked = stripe::MaskWebhookSecret(*secret),
                               .created_at = now};
    auto current = webhooks_.GetSecrets(integration.id);
    if (current.ok()) {
      rotated = true;
      if (window.count() > 0) {
        next.previous_sealed = current->secret_sealed;
        next.previous_masked = current->secret_masked;
        next.previous_expires_at = now + window.count();
      }
    } else if (current.status().code() != StatusCode::kNotFound) {
      return current.status();
    }
    SL_RETURN_IF_ERROR(webhooks_.PutSecrets(next));
    std::string summary =
        std::string(rotated ? "Rotated" : "Set") + " the webhook signing secret (" +
        (generated ? "generated" : "entered") + ", " + next.secret_masked + ")";
    if (rotated) {
      summary += window.count() > 0
                     ? "; the previous one is accepted for " + std::to_string(window.count()) + " s"
                     : "; the previous one is revoked";
    }
    return Audit(actor, integration.id, rotated ? "webhook.secret_rotated" : "webhook.secret_set",
                 std::move(summary));
  }));
  ForgetEndpoint(integration.id);
  log::Info("webhook.secret_set", {{"integration", integration.id},
                                   {"rotated", rotated},
                                   {"generated", generated},
                                   {"by", actor.email}});

  SecretChange change;
  SL_ASSIGN_OR_RETURN(change.webhook, ConfigOf(integration.id));
  if (generated) change.generated_secret = std::move(*secret);
  change.message = rotated ? "Webhook signing secret rotated" : "Webhook signing secret set";
  return change;
}

Result<WebhookConfig> WebhookIntake::Config(const access::Actor& actor,
                                            const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, VisibleIntegration(actor, integration_id));
  return ConfigOf(integration.id);
}

Result<std::string> WebhookIntake::DeleteSecrets(const access::Actor& actor,
                                                 const std::string& integration_id) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "remove webhook signing secrets"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, VisibleIntegration(actor, integration_id));
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    Status deleted = webhooks_.DeleteSecrets(integration.id);
    if (deleted.code() == StatusCode::kNotFound) {
      return Status::NotFound("Webhooks are not set up for integration '" + integration.id + "'.",
                              "webhook_not_configured");
    }
    SL_RETURN_IF_ERROR(deleted);
    return Audit(actor, integration.id, "webhook.secret_removed",
                 "Removed the webhook signing secrets: deliveries are refused from now on");
  }));
  ForgetEndpoint(integration.id);
  log::Info("webhook.secret_removed", {{"integration", integration.id}, {"by", actor.email}});
  return std::string("Webhook signing secrets removed");
}

// ---- Intake ----

Result<std::shared_ptr<const WebhookIntake::Endpoint>> WebhookIntake::ReadEndpoint(
    const std::string& integration_id) {
  auto integration = store_.GetIntegration(integration_id);
  if (!integration.ok()) {
    if (integration.status().code() != StatusCode::kNotFound) return integration.status();
    return Status::NotFound("There is no integration '" + integration_id +
                                "' to receive webhooks for: check the URL registered in Stripe.",
                            "webhook_endpoint_not_found");
  }
  auto secrets = webhooks_.GetSecrets(integration_id);
  if (!secrets.ok()) {
    if (secrets.status().code() != StatusCode::kNotFound) return secrets.status();
    return Status::NotFound("Integration '" + integration_id +
                                "' has no webhook signing secret, so no delivery can be "
                                "verified: set one in Stripeline first.",
                            "webhook_not_configured");
  }
  auto endpoint = std::make_shared<Endpoint>();
  SL_ASSIGN_OR_RETURN(endpoint->current_secret, box_.Open(secrets->secret_sealed, integration_id));
  if (secrets->previous_sealed && secrets->previous_expires_at) {
    SL_ASSIGN_OR_RETURN(endpoint->previous_secret,
                        box_.Open(*secrets->previous_sealed, integration_id));
    endpoint->previous_expires_at = *secrets->previous_expires_at;
  }
  endpoint->account = DataScopeOf(*integration).account_id;
  endpoint->livemode = integration->livemode;
  endpoint->active = integration->active;
  endpoint->read_at = clock_.Monotonic();
  return std::shared_ptr<const Endpoint>(std::move(endpoint));
}

Result<std::shared_ptr<const WebhookIntake::Endpoint>> WebhookIntake::FindEndpoint(
    const std::string& integration_id) {
  {
    std::lock_guard lock(endpoints_mu_);
    auto it = endpoints_.find(integration_id);
    if (it != endpoints_.end() &&
        clock_.Monotonic() - it->second->read_at < options_.endpoint_cache_ttl) {
      return it->second;
    }
  }
  // Refusals are not cached: a new integration or secret must work at once.
  SL_ASSIGN_OR_RETURN(std::shared_ptr<const Endpoint> endpoint, ReadEndpoint(integration_id));
  std::lock_guard lock(endpoints_mu_);
  endpoints_[integration_id] = endpoint;
  return endpoint;
}

void WebhookIntake::ForgetEndpoint(const std::string& integration_id) {
  std::lock_guard lock(endpoints_mu_);
  endpoints_.erase(integration_id);
}

Result<Receipt> WebhookIntake::Receive(const std::string& integration_id,
                                       std::string_view payload,
                                       std::optional<std::string_view> signature_header) {
  SL_ASSIGN_OR_RETURN(std::shared_ptr<const Endpoint> endpoint, FindEndpoint(integration_id));
  const int64_t now = clock_.NowUnix();
  std::vector<std::string> secrets{endpoint->current_secret};
  if (endpoint->previous_secret && now < endpoint->previous_expires_at) {
    secrets.push_back(*endpoint->previous_secret);
  }
  SL_RETURN_IF_ERROR(
      stripe::VerifyWebhookSignature(payload, signature_header, secrets, now, options_.tolerance));
  SL_ASSIGN_OR_RETURN(WebhookEvent event, ParseWebhookEvent(payload));
  if (event.account && !endpoint->account.empty() && *event.account != endpoint->account) {
    return Status::InvalidArgument("Event " + event.event_id + " belongs to Stripe account " +
                                       *event.account + ", but integration '" + integration_id +
                                       "' syncs " + endpoint->account + ".",
                                   "webhook_account_mismatch");
  }
  if (event.livemode != endpoint->livemode) {
    return Status::InvalidArgument(
        std::string("Event ") + event.event_id + " is a " + (event.livemode ? "live" : "test") +
            "-mode event, but integration '" + integration_id + "' syncs " +
            (endpoint->livemode ? "live" : "test") +
            " data: register this URL only in the matching mode's webhook settings.",
        "webhook_mode_mismatch");
  }
  event.integration_id = integration_id;
  event.received_at = now;
  event.state = WebhookEventState::kPending;

  auto inserted = StoreDurably(event);
  if (!inserted.ok()) {
    // Deleted meanwhile: its cached endpoint must not outlive it.
    if (inserted.status().code() == StatusCode::kNotFound) {
      ForgetEndpoint(integration_id);
      return Status::NotFound("There is no integration '" + integration_id +
                                  "' to receive webhooks for: check the URL registered in Stripe.",
                              "webhook_endpoint_not_found");
    }
    return inserted.status();
  }
  if (*inserted) Wake();
  return Receipt{.event_id = event.event_id,
                 .duplicate = !*inserted,
                 .waiting_for_activation = !endpoint->active};
}

Result<bool> WebhookIntake::StoreDurably(const WebhookEvent& event) {
  Writer self{.event = &event};
  std::unique_lock lock(writers_mu_);
  writers_.push_back(&self);
  deliveries_waiting_.store(static_cast<int>(writers_.size()), std::memory_order_relaxed);
  while (!self.done && &self != writers_.front()) self.cv.wait(lock);
  if (self.done) return std::move(self.result);

  // This caller leads: it commits itself and everyone queued behind it in one transaction,
  // so N concurrent deliveries cost one disk flush instead of N.
  const size_t count = std::min(writers_.size(), options_.max_group_commit);
  std::vector<Writer*> group(writers_.begin(), writers_.begin() + count);
  lock.unlock();
  const auto commit_start = std::chrono::steady_clock::now();
  CommitGroup(group);
  const auto commit_time = std::chrono::steady_clock::now() - commit_start;
  lock.lock();
  ++commit_stats_.groups;
  commit_stats_.deliveries += static_cast<int64_t>(count);
  commit_stats_.commit_time += commit_time;
  for (size_t i = 0; i < count; ++i) {
    Writer* writer = writers_.front();
    writers_.pop_front();
    deliveries_waiting_.store(static_cast<int>(writers_.size()), std::memory_order_relaxed);
    writer->done = true;
    if (writer != &self) writer->cv.notify_one();
  }
  if (!writers_.empty()) {
    writers_.front()->cv.notify_one();  // the next leader
  } else {
    writers_drained_.notify_all();
  }
  return std::move(self.result);
}

GroupCommitStats WebhookIntake::CommitStats() const {
  std::lock_guard lock(writers_mu_);
  return commit_stats_;
}

void WebhookIntake::CommitGroup(const std::vector<Writer*>& group) {
  Status committed = store_.InDurableTransaction([&]() -> Status {
    for (Writer* writer : group) {
      // A failed insert (its integration deleted meanwhile) fails only that delivery.
      writer->result = webhooks_.InsertEvent(*writer->event);
    }
    return Status::OK();
  });
  if (!committed.ok()) {
    log::Error("webhook.commit_failed", {{"events", group.size()}, {"error", committed.message()}});
    for (Writer* writer : group) writer->result = committed;
  }
}

// ---- Applier ----

void WebhookIntake::Start() {
  std::lock_guard lock(applier_mu_);
  if (applier_thread_.joinable()) return;
  stopping_ = false;
  started_ = true;
  MarkProgress();
  applier_thread_ = std::thread([this] { RunApplier(); });
}

void WebhookIntake::Stop() {
  RequestStop();
  if (applier_thread_.joinable()) applier_thread_.join();
}

void WebhookIntake::RequestStop() {
  {
    std::lock_guard lock(applier_mu_);
    stopping_ = true;
  }
  applier_cv_.notify_all();
}

bool WebhookIntake::Stopping() {
  std::lock_guard lock(applier_mu_);
  return stopping_;
}

void WebhookIntake::Wake() {
  {
    std::lock_guard lock(applier_mu_);
    wake_ = true;
  }
  applier_cv_.notify_all();
}

void WebhookIntake::RunApplier() {
  // Applying is deferrable work; acknowledging deliveries is not. On a busy machine the
  // scheduler should serve the intake's threads first (Stripe waits for their answers), so this
  // thread runs at a lower priority (Linux: nice applies per thread).
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kApplierNice);
  while (true) {
    {
      std::lock_guard lock(applier_mu_);
      if (stopping_) return;
      wake_ = false;
    }
    Result<int64_t> processed = ApplyPending();
    if (!processed.ok()) {
      log::Error("webhook.apply_failed", {{"error", processed.status().message()}});
    }
    std::unique_lock lock(applier_mu_);
    applier_cv_.wait_for(lock, options_.rescan_interval, [this] { return wake_ || stopping_; });
  }
}

Result<int64_t> WebhookIntake::ApplyPending() {
  std::lock_guard apply_lock(apply_mu_);
  int64_t processed = 0;
  while (!Stopping()) {
    // Every row read below was committed before this instant, so whatever Stripe answers after
    // it is at least as new as each of them (re-fetches of one object coalesce).
    const auto known_since = clock_.Monotonic();
    SL_ASSIGN_OR_RETURN(std::vector<WebhookEvent> due,
                        webhooks_.DuePendingEvents(clock_.NowUnix(), options_.apply_batch));
    MarkProgress();
    if (due.empty()) break;
    // Parsing is the applier's own work, done before anything waits on it.
    std::vector<json::value> payloads(due.size());
    for (size_t i = 0; i < due.size(); ++i) {
      boost::system::error_code ec;
      payloads[i] = json::parse(due[i].payload, ec);
      if (ec) payloads[i] = nullptr;
    }
    // Each event is applied in the applier's own short transaction, and no transaction is open
    // while it runs: an event whose tie needs Stripe must not hold the database (every API
    // request needs it) for the length of a network call. The rows' new states are then
    // recorded a group at a time, one commit per group; an event applied but not yet recorded
    // when the process dies is applied again at the next start, which changes nothing (dedupe).
    for (size_t next = 0; next < due.size();) {
      const size_t end = std::min(due.size(), next + options_.apply_group);
      YieldToDeliveries();
      std::vector<WebhookEvent> outcomes;
      for (; next < end; ++next) {
        std::optional<WebhookEvent> outcome =
            ApplyOne(due[next], payloads[next].if_object(), known_since);
        if (!outcome) break;  // stopping: the event stays pending as it was
        outcomes.push_back(std::move(*outcome));
        MarkProgress();
        if (deliveries_waiting_.load(std::memory_order_relaxed) > 0) {
          ++next;
          break;
        }
      }
      SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
        for (const WebhookEvent& outcome : outcomes) {
          Status updated = webhooks_.UpdateEventState(outcome);
          // The integration (and its events) may have been deleted meanwhile.
          if (!updated.ok() && updated.code() != StatusCode::kNotFound) return updated;
        }
        return Status::OK();
      }));
      processed += static_cast<int64_t>(outcomes.size());
      if (Stopping()) return processed;
    }
    if (due.size() < static_cast<size_t>(options_.apply_batch)) break;
  }
  return processed;
}

void WebhookIntake::MarkProgress() {
  progress_at_ns_.store(clock_.Monotonic().time_since_epoch().count(),
                        std::memory_order_relaxed);
}

ApplierState WebhookIntake::Applier() {
  ApplierState state;
  {
    std::lock_guard lock(applier_mu_);
    state.running = started_ && !stopping_;
  }
  const auto progress_at = std::chrono::steady_clock::time_point(
      std::chrono::steady_clock::duration(progress_at_ns_.load(std::memory_order_relaxed)));
  state.since_progress =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Monotonic() - progress_at);
  state.stalled = state.running && state.since_progress > options_.stall_after;
  return state;
}

void WebhookIntake::YieldToDeliveries() {
  std::unique_lock lock(writers_mu_);
  writers_drained_.wait_for(lock, options_.max_apply_deferral, [this] { return writers_.empty(); });
}

std::optional<WebhookEvent> WebhookIntake::ApplyOne(
    WebhookEvent event, const json::object* payload,
    std::chrono::steady_clock::time_point known_since) {
  const int64_t now = clock_.NowUnix();
  Status applied = payload == nullptr
                       ? Status::InvalidArgument("The stored payload is not a JSON object",
                                                 "webhook_invalid_event")
                       : applier_.ApplyKnownSince(event.integration_id, *payload, known_since);
  // Abandoned because the process stops (a re-fetch was cancelled): not an attempt.
  if (!applied.ok() && Stopping()) return std::nullopt;
  ++event.attempts;
  if (applied.ok()) {
    event.state = WebhookEventState::kApplied;
    event.error.clear();
    event.applied_at = now;
    return event;
  }
  event.error = applied.ToString();
  if (Retryable(applied) && event.attempts < options_.max_apply_attempts) {
    event.next_attempt_at = now + (int64_t{1} << std::min<int64_t>(event.attempts, 20));
  } else {
    event.state = WebhookEventState::kFailed;
  }
  log::Warn("webhook.event_not_applied", {{"integration", event.integration_id},
                                          {"event", event.event_id},
                                          {"attempt", event.attempts},
                                          {"state", std::string(Name(event.state))},
                                          {"error", event.error}});
  return event;
}

}  // namespace stripeline::sync
