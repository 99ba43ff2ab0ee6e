#include "emulator/webhook_dispatcher.h"

#include <boost/json.hpp>

#include <algorithm>

#include "emulator/http_post.h"
#include "stripe/webhook_signature.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {
constexpr size_t kLogLimit = 1000;
}  // namespace

WebhookDispatcher::WebhookDispatcher(WebhookOptions options, Clock& clock, uint64_t seed,
                                     Poster poster)
    : options_(options), clock_(clock), poster_(std::move(poster)), rng_(seed ^ 0x77686b73ull) {
  if (!poster_) {
    std::chrono::milliseconds timeout = options_.timeout;
    poster_ = [timeout](const std::string& url, const Fields& headers, const std::string& body) {
      return HttpPost(url, headers, body, timeout);
    };
  }
  thread_ = std::thread([this] { Run(); });
}

WebhookDispatcher::~WebhookDispatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::string WebhookDispatcher::RandomChars(size_t n) {
  static constexpr std::string_view kChars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kChars[rng_() % kChars.size()]);
  return out;
}

WebhookDispatcher::Endpoint WebhookDispatcher::Add(std::string url, std::string account,
                                                   bool livemode,
                                                   std::vector<std::string> enabled_events,
                                                   std::optional<std::string> secret) {
  std::lock_guard lock(mu_);
  std::string id = "we_" + RandomChars(24);
  // Drawn even when a secret is given, so the ids that follow stay the same for a seed.
  std::string generated = "whsec_" + RandomChars(32);
  Endpoint endpoint{std::move(id), secret.value_or(std::move(generated)), std::move(url),
                    std::move(account), livemode, std::move(enabled_events)};
  endpoints_[endpoint.id] = endpoint;
  log_[endpoint.id];
  return endpoint;
}

bool WebhookDispatcher::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  log_.erase(id);
  return endpoints_.erase(id) > 0;  // queued deliveries are skipped when they come due
}

void WebhookDispatcher::Clear() {
  std::lock_guard lock(mu_);
  endpoints_.clear();
  log_.clear();
  queue_ = {};
}

size_t WebhookDispatcher::EndpointCount() const {
  std::lock_guard lock(mu_);
  return endpoints_.size();
}

bool WebhookDispatcher::Matches(const Endpoint& endpoint, const std::string& account,
                                bool livemode, const std::string& type) {
  if (endpoint.account != account || endpoint.livemode != livemode) return false;
  if (endpoint.enabled_events.empty()) return true;
  return std::any_of(endpoint.enabled_events.begin(), endpoint.enabled_events.end(),
                     [&](const std::string& wanted) {
                       if (wanted == "*" || wanted == type) return true;
                       return wanted.ends_with(".*") &&
                              type.starts_with(wanted.substr(0, wanted.size() - 1));
                     });
}

int WebhookDispatcher::Matching(const std::string& account, bool livemode,
                                const std::string& type) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [id, endpoint] : endpoints_) n += Matches(endpoint, account, livemode, type);
  return n;
}

void WebhookDispatcher::Enqueue(const std::string& account, bool livemode,
                                const std::string& type, const std::string& event_id,
                                const std::string& body) {
  {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    for (const auto& [id, endpoint] : endpoints_) {
      if (!Matches(endpoint, account, livemode, type)) continue;
      queue_.push(Delivery{now, sequence_++, id, event_id, type, body, 1});
    }
  }
  cv_.notify_all();
}

std::optional<json::array> WebhookDispatcher::Deliveries(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = log_.find(id);
  if (it == log_.end()) return std::nullopt;
  json::array out;
  for (const json::object& attempt : it->second) out.push_back(attempt);
  return out;
}

void WebhookDispatcher::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    if (stopping_) return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    if (queue_.top().due > std::chrono::steady_clock::now()) {
      cv_.wait_until(lock, queue_.top().due);
      continue;
    }
    Delivery delivery = queue_.top();
    queue_.pop();
    auto endpoint_it = endpoints_.find(delivery.endpoint);
    if (endpoint_it == endpoints_.end()) continue;  // removed meanwhile
    Endpoint endpoint = endpoint_it->second;
    lock.unlock();

    int64_t t = clock_.NowUnix();
    Fields headers{{"Content-Type", "application/json; charset=utf-8"},
                   {std::string(stripe::kWebhookSignatureHeader),
                    stripe::WebhookSignatureHeader(endpoint.secret, t, delivery.body)}};
    Result<int> posted = poster_(endpoint.url, headers, delivery.body);
    bool delivered = posted.ok() && *posted >= 200 && *posted < 300;

    lock.lock();
    json::object attempt{{"event", delivery.event_id},
                         {"type", delivery.type},
                         {"attempt", delivery.attempt},
                         {"status", posted.ok() ? json::value(*posted) : json::value(nullptr)},
                         {"error", posted.ok() ? json::value(nullptr)
                                               : json::value(posted.status().message())},
                         {"delivered", delivered},
                         {"at", t}};
    if (auto log = log_.find(endpoint.id); log != log_.end()) {
      log->second.push_back(std::move(attempt));
      if (log->second.size() > kLogLimit) log->second.pop_front();
    }
    if (!delivered && delivery.attempt < options_.max_attempts) {
      auto backoff = options_.initial_backoff * (1LL << std::min(delivery.attempt - 1, 20));
      backoff = std::min<std::chrono::milliseconds>(backoff, options_.max_backoff);
      delivery.due = std::chrono::steady_clock::now() + backoff;
      delivery.sequence = sequence_++;
      ++delivery.attempt;
      queue_.push(std::move(delivery));
    }
  }
}

}  // namespace stripeline::emulator
