#include "sync/event_applier_impl.h"

#include <boost/json.hpp>

#include "common/log.h"

namespace stripeline::sync {

namespace json = boost::json;

namespace {

std::string StringField(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

}  // namespace

StoreEventApplier::StoreEventApplier(store::Database& db, store::Store& store,
                                     integrations::IntegrationService& integrations, Clock& clock,
                                     Refetcher refetch)
    : store_(store),
      db_(db),
      state_(db_),
      writer_(db_),
      integrations_(integrations),
      clock_(clock),
      refetch_(std::move(refetch)) {}

Status StoreEventApplier::Apply(const std::string& integration_id, const json::object& event) {
  return ApplyEvent(integration_id, event).status();
}

Result<ApplyOutcome> StoreEventApplier::ApplyEvent(const std::string& integration_id,
                                                   const json::object& event) {
  const std::string event_id = StringField(event, "id");
  const std::string type = StringField(event, "type");
  const json::value* created_value = event.if_contains("created");
  if (event_id.empty() || type.empty() || created_value == nullptr || !created_value->is_int64()) {
    return Status::InvalidArgument("A Stripe event needs an id, a type and a created time",
                                   "sync_bad_event");
  }
  const int64_t created = created_value->get_int64();
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(integration_id));
  DataScope scope = DataScopeOf(integration);
  if (std::string account = StringField(event, "account"); !account.empty()) {
    scope.account_id = std::move(account);
  }
  // An event of the other mode (a live endpoint posting to a test integration's URL) would
  // write rows that are not this integration's: refused, never stored.
  if (const json::value* live = event.if_contains("livemode");
      live != nullptr && live->is_bool() && live->get_bool() != scope.livemode) {
    return Status::InvalidArgument(
        std::string("Event ") + event_id + " is a " + (live->get_bool() ? "live" : "test") +
            "-mode event, but this integration syncs " + scope.ModeName() +
            " data; it was not applied",
        "sync_event_other_mode");
  }

  SL_ASSIGN_OR_RETURN(bool seen, state_.IsProcessed(scope, event_id));
  if (seen) return ApplyOutcome::kDuplicate;

  const StreamSpec* events_stream = FindStream("events");
  const int64_t now = clock_.NowUnix();
  WriteMeta event_meta{.account_id = scope.account_id,
                       .default_livemode = scope.livemode,
                       .version = created,
                       .event_id = event_id,
                       .synced_at = now};

  if (type == "account.application.deauthorized") {
    SL_RETURN_IF_ERROR(integrations_.RecordDeauthorization(integration_id, event_id));
    SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
      SL_ASSIGN_OR_RETURN(bool fresh, state_.MarkProcessed(scope, event_id, created, now));
      if (!fresh) return Status::OK();
      return writer_.Upsert(*events_stream, event, event_meta).status();
    }));
    return ApplyOutcome::kDeauthorized;
  }

  // The object and the stream it belongs to, if we sync it.
  const json::object* object = nullptr;
  if (const json::value* data = event.if_contains("data"); data != nullptr && data->is_object()) {
    const json::value* o = data->get_object().if_contains("object");
    if (o != nullptr && o->is_object()) object = &o->get_object();
  }
  const StreamSpec* stream = nullptr;
  std::string object_id;
  if (object != nullptr) {
    stream = FindStreamByObjectType(StringField(*object, "object"));
    object_id = StringField(*object, "id");
    if (stream != nullptr && (stream->kind == StreamKind::kEvents || object_id.empty())) {
      stream = nullptr;
    }
  }
  if (stream != nullptr) {
    SL_ASSIGN_OR_RETURN(std::optional<StreamRecord> record,
                        state_.Stream(integration_id, std::string(stream->name)));
    if (record && record->state == StreamState::kMissingPermission) stream = nullptr;
  }
  const bool deleted = type.ends_with(".deleted");

  // Ties need a decision made outside the transaction (a refetch is a network call).
  std::optional<json::object> refetched;
  bool refetched_gone = false;
  bool skip_object = stream == nullptr;
  if (stream != nullptr) {
    SL_ASSIGN_OR_RETURN(std::optional<RowVersion> stored,
                        writer_.Version(*stream, scope, object_id));
    if (stored && stored->version == created && stored->last_event_id &&
        *stored->last_event_id != event_id) {
      bool decided = false;
      if (refetch_) {
        auto fetched = refetch_(integration_id, *stream, object_id);
        if (fetched.ok()) {
          decided = true;
          if (fetched.value()) {
            refetched = std::move(*fetched.value());
          } else {
            refetched_gone = true;
          }
        } else {
          log::Warn("sync.refetch_failed", {{"integration", integration_id},
                                            {"object", object_id},
                                            {"error", fetched.error().message}});
        }
      }
      if (!decided && event_id < *stored->last_event_id) skip_object = true;
    }
  }

  ApplyOutcome outcome = ApplyOutcome::kEventOnly;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(bool fresh, state_.MarkProcessed(scope, event_id, created, now));
    if (!fresh) {
      outcome = ApplyOutcome::kDuplicate;
      return Status::OK();
    }
    SL_RETURN_IF_ERROR(writer_.Upsert(*events_stream, event, event_meta).status());
    if (stream == nullptr) return Status::OK();
    if (skip_object) {
      outcome = ApplyOutcome::kOlder;
      return Status::OK();
    }
    WriteMeta meta = event_meta;
    meta.deleted = deleted || refetched_gone;
    const json::object& body = refetched ? *refetched : *object;
    SL_ASSIGN_OR_RETURN(int64_t changed, writer_.Upsert(*stream, body, meta));
    if (changed == 0) {
      outcome = ApplyOutcome::kOlder;
    } else {
      outcome = (refetched || refetched_gone) ? ApplyOutcome::kRefetched : ApplyOutcome::kApplied;
    }
    return Status::OK();
  }));
  return outcome;
}

}  // namespace stripeline::sync
