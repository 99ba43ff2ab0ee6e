#include "sync/verifier.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace stripeline::sync {

namespace json = boost::json;

namespace {

Status Canceled() {
  return Status::FailedPrecondition("The verification was canceled.", "verify_canceled");
}

}  // namespace

Result<VerifyReport> Verifier::Verify(const SyncTarget& target,
                                      const std::vector<const StreamSpec*>& streams,
                                      const std::atomic<bool>* canceled) {
  auto is_canceled = [canceled] { return canceled != nullptr && canceled->load(); };
  VerifyReport report;
  report.integration_id = target.integration_id;
  for (const StreamSpec* stream : streams) {
    if (is_canceled()) return Canceled();
    StreamVerification v;
    v.stream = std::string(stream->name);
    std::set<std::string> remote;
    std::optional<int64_t> oldest_remote;
    std::optional<stripe::StripeError> error;
    if (stream->kind == StreamKind::kSingleton) {
      auto response = target.session->Request("GET", stream->endpoint);
      if (response.ok() && response.value().body.is_object()) {
        const json::value* id = response.value().body.get_object().if_contains("id");
        if (id != nullptr && id->is_string()) remote.insert(std::string(id->get_string()));
      } else if (!response.ok()) {
        error = response.error();
      }
    } else {
      stripe::ListPager pager =
          target.session->Pager(std::string(stream->endpoint), ListParams(*stream, 100, {}));
      while (true) {
        if (is_canceled()) return Canceled();
        std::optional<stripe::StripeResult<stripe::ListPage>> page = pager.Next();
        if (!page) break;
        if (!page->ok()) {
          error = page->error();
          break;
        }
        for (const json::object& object : page->value().data) {
          remote.insert(std::string(object.at("id").as_string()));
          if (const json::value* c = object.if_contains("created"); c && c->is_int64()) {
            oldest_remote = std::min(oldest_remote.value_or(c->get_int64()), c->get_int64());
          }
        }
      }
    }
    if (error) {
      v.result = "unreadable";
      v.error = ErrorText(*error);
      report.streams.push_back(std::move(v));
      continue;
    }
    std::optional<int64_t> created_since;
    if (stream->kind == StreamKind::kEvents) {
      // Stripe lists only the last 30 days of events; older local events are expected.
      created_since = oldest_remote.value_or(clock_.NowUnix());
    }
    SL_ASSIGN_OR_RETURN(std::set<std::string> local,
                        data_.LiveIds(*stream, target.scope(), created_since));
    v.local_count = static_cast<int64_t>(local.size());
    v.remote_count = static_cast<int64_t>(remote.size());
    for (const std::string& id : remote) {
      if (!local.count(id) && v.missing_locally.size() < 20) v.missing_locally.push_back(id);
    }
    for (const std::string& id : local) {
      if (!remote.count(id) && v.extra_locally.size() < 20) v.extra_locally.push_back(id);
    }
    v.result = local == remote ? "equal" : "different";
    if (v.result != "equal") report.equal = false;
    report.streams.push_back(std::move(v));
  }
  return report;
}

}  // namespace stripeline::sync
