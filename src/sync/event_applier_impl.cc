#include "sync/event_applier_impl.h"

#include <boost/json.hpp>

#include "common/log.h"
#include "sync/event_order.h"

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

Status StoreEventApplier::ApplyKnownSince(const std::string& integration_id,
                                          const json::object& event,
                                          std::chrono::steady_clock::time_point known_since) {
  return ApplyEvent(integration_id, event, known_since).status();
}

Result<ApplyOutcome> StoreEventApplier::ApplyEvent(
    const std::string& integration_id, const json::object& event,
    std::optional<std::chrono::steady_clock::time_point> known_since) {
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

  // Ties are decided before the transaction: a re-fetch is a network call, and no transaction
  // may wait for one (request handling shares the database).
  std::optional<json::object> refetched;
  bool refetched_gone = false;
  bool tie_decided = false;
  bool skip_object = stream == nullptr;
  if (stream != nullptr) {
    SL_ASSIGN_OR_RETURN(std::optional<RowVersion> stored,
                        writer_.Version(*stream, scope, object_id));
    if (stored && stored->version == created && stored->last_event_id &&
        *stored->last_event_id != event_id) {
      const std::string& stored_event_id = *stored->last_event_id;
      SL_ASSIGN_OR_RETURN(TieOrder order,
                          OrderAgainstStored(*stream, scope, object_id, *stored, event));
      bool decided = true;
      if (order == TieOrder::kIncomingNewer) {
        tie_decided = true;
      } else if (order == TieOrder::kStoredNewer) {
        skip_object = true;
      } else if (order == TieOrder::kUnknown && refetch_) {
        auto fetched = coalescer_.Get(
            {integration_id, std::string(stream->name), object_id},
            known_since.value_or(clock_.Monotonic()),
            [&] { return refetch_(integration_id, *stream, object_id); });
        if (fetched.ok()) {
          if (fetched.value()) {
            refetched = std::move(*fetched.value());
          } else {
            refetched_gone = true;
          }
        } else if (stripe::IsCancelled(fetched.error())) {
          return Status::Unavailable(
              "Event " + event_id + " was not applied: " + fetched.error().message +
                  "; it is applied at the next start",
              std::string(stripe::kRequestCancelledCode));
        } else {
          decided = false;
          log::Warn("sync.refetch_failed", {{"integration", integration_id},
                                            {"object", object_id},
                                            {"error", fetched.error().message}});
        }
      } else {
        decided = false;  // same content, or nobody to ask: the larger event id is recorded
      }
      if (!decided && event_id < stored_event_id) skip_object = true;
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
      outcome = (refetched || refetched_gone) ? ApplyOutcome::kRefetched
                : tie_decided                   ? ApplyOutcome::kTieDecided
                                                : ApplyOutcome::kApplied;
    }
    return Status::OK();
  }));
  return outcome;
}

Result<TieOrder> StoreEventApplier::OrderAgainstStored(const StreamSpec& stream,
                                                       const DataScope& scope,
                                                       const std::string& object_id,
                                                       const RowVersion& stored,
                                                       const json::object& event) {
  SL_ASSIGN_OR_RETURN(std::optional<std::string> stored_raw,
                      writer_.Raw(stream, scope, object_id));
  SL_ASSIGN_OR_RETURN(std::optional<std::string> stored_event_raw,
                      writer_.Raw(*FindStream("events"), scope, *stored.last_event_id));
  SL_ASSIGN_OR_RETURN(std::vector<std::string> same_second_raw,
                      writer_.EventsOfObject(scope, object_id, stored.version));
  auto parse_object = [](const std::string& raw) -> std::optional<json::object> {
    boost::system::error_code ec;
    json::value parsed = json::parse(raw, ec);
    if (ec || !parsed.is_object()) return std::nullopt;
    return std::move(parsed.get_object());
  };
  std::optional<json::object> stored_object = parse_object(stored_raw.value_or(""));
  if (!stored_object) return TieOrder::kUnknown;
  std::optional<json::object> stored_event = parse_object(stored_event_raw.value_or(""));
  std::vector<json::object> same_second;
  for (const std::string& raw : same_second_raw) {
    if (auto parsed = parse_object(raw)) same_second.push_back(std::move(*parsed));
  }
  return OrderOfTie(event, *stored_object, stored.deleted,
                    stored_event ? &*stored_event : nullptr, same_second);
}

}  // namespace stripeline::sync
