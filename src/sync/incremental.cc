#include "sync/incremental.h"

#include <boost/json.hpp>

#include "stripe/list_pager.h"

namespace stripeline::sync {

namespace json = boost::json;

IncrementalSync::IncrementalSync(SyncStateStore& state, StoreEventApplier& applier,
                                 const SyncOptions& options, Clock& clock,
                                 const SyncTarget& target, RunContext& context)
    : state_(state),
      applier_(applier),
      options_(options),
      clock_(clock),
      target_(target),
      context_(context) {}

stripe::StripeResult<std::optional<json::object>> IncrementalSync::NewestEvent() {
  context_.CountRequest();
  auto page = target_.session->ListPage("/v1/events", {{"limit", "1"}});
  if (!page.ok()) return std::move(page).error();
  if (page.value().data.empty()) return std::optional<json::object>();
  return std::optional<json::object>(std::move(page.value().data.front()));
}

Status IncrementalSync::ApplyPage(const std::vector<json::object>& newest_first,
                                  Outcome& outcome) {
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    SL_ASSIGN_OR_RETURN(ApplyOutcome applied, applier_.ApplyEvent(target_.integration_id, *it));
    if (applied != ApplyOutcome::kDuplicate) ++outcome.applied;
  }
  return Status::OK();
}

Status IncrementalSync::SaveCursor(const json::object& newest_event, const CursorRecord& base) {
  CursorRecord cursor = base;
  cursor.last_event_id = std::string(newest_event.at("id").as_string());
  const json::value* created = newest_event.if_contains("created");
  cursor.last_event_created = created && created->is_int64() ? created->get_int64() : 0;
  return state_.PutCursor(target_.integration_id, cursor, clock_.NowUnix());
}

Result<IncrementalSync::Outcome> IncrementalSync::Run() {
  Outcome outcome;
  SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> stored, state_.Cursor(target_.integration_id));
  if (!stored) return Status::FailedPrecondition("No event cursor yet: backfill first");
  CursorRecord cursor = *stored;

  if (!cursor.last_event_id) {
    // No event existed when the backfill started: everything listed now is new. Collect the
    // (short) list newest first, then apply oldest first.
    std::vector<json::object> all;
    stripe::ListPager pager =
        target_.session->Pager("/v1/events", {{"limit", std::to_string(options_.page_size)}});
    while (!context_.stopped() && !pager.done()) {
      context_.CountRequest();
      stripe::StripeResult<stripe::ListPage> page = *pager.Next();
      if (!page.ok()) {
        outcome.error = page.error();
        return outcome;
      }
      for (json::object& event : page.value().data) all.push_back(std::move(event));
    }
    if (context_.stopped()) return outcome;
    if (all.empty()) return outcome;
    SL_RETURN_IF_ERROR(ApplyPage(all, outcome));
    SL_RETURN_IF_ERROR(SaveCursor(all.front(), cursor));
    return outcome;
  }

  auto newest = NewestEvent();
  if (!newest.ok()) {
    outcome.error = newest.error();
    return outcome;
  }
  const int64_t cursor_created = cursor.last_event_created.value_or(0);
  if (!newest.value()) {
    outcome.stale_reason = "the event cursor " + *cursor.last_event_id +
                           " is no longer listed by Stripe (no events at all: older than the " +
                           "30-day events window)";
    return outcome;
  }
  const json::object& top = *newest.value();
  if (top.at("id").as_string() == *cursor.last_event_id) return outcome;
  const json::value* top_created = top.if_contains("created");
  if (top_created != nullptr && top_created->is_int64() &&
      top_created->get_int64() - cursor_created > options_.events_window_seconds) {
    outcome.stale_reason = "the event cursor " + *cursor.last_event_id + " (created " +
                           std::to_string(cursor_created) +
                           ") is older than Stripe's 30-day events window (newest event created " +
                           std::to_string(top_created->get_int64()) + ")";
    return outcome;
  }

  // Forward from the cursor: ending_before walks towards newer events, one page at a time.
  stripe::ListPager pager = target_.session->Pager(
      "/v1/events", {{"limit", std::to_string(options_.page_size)},
                     {"ending_before", *cursor.last_event_id}});
  while (!context_.stopped() && !pager.done()) {
    context_.CountRequest();
    stripe::StripeResult<stripe::ListPage> page = *pager.Next();
    if (!page.ok()) {
      const stripe::StripeError& error = page.error();
      if (error.kind == stripe::ErrorKind::kInvalidRequest && error.code == "resource_missing") {
        outcome.stale_reason = "Stripe no longer has the event cursor " + *cursor.last_event_id +
                               " (" + error.message + ")";
        return outcome;
      }
      outcome.error = error;
      return outcome;
    }
    const stripe::ListPage& data = page.value();
    if (data.data.empty()) break;
    SL_RETURN_IF_ERROR(ApplyPage(data.data, outcome));
    SL_RETURN_IF_ERROR(SaveCursor(data.data.front(), cursor));
    cursor.last_event_id = std::string(data.data.front().at("id").as_string());
  }
  return outcome;
}

}  // namespace stripeline::sync
