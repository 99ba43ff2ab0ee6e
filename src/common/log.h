#pragma once
// Structured logging: one JSON object per line, e.g.
//   {"ts":"2026-11-23T10:00:00.123Z","level":"info","event":"integration.added","id":"int_.."}
// Every string that reaches a log line passes through RedactSecrets, so a Stripe key, webhook
// secret or API token that slips into a message is masked rather than written (defence in depth:
// callers must still never log secrets). Thread-safe (spdlog's synchronised sinks).

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace stripeline {

struct LogOptions {
  std::string level = "info";  // trace|debug|info|warn|error|off
  std::string file;            // also append to this file when not empty
  bool to_stderr = true;
};

// Replaces the process-wide logger. Call once at start-up (tests may call it again).
Status InitLogging(const LogOptions& options);

// Masks anything shaped like a secret: sk_/rk_/pk_ keys, whsec_ secrets, slt_ API tokens,
// OAuth tokens (rt_/ac_), keeping the recognisable prefix and the last 4 characters.
std::string RedactSecrets(std::string_view text);

namespace log {

// One key/value of a log line; the value is anything Boost.JSON can convert (strings, numbers,
// bools, vectors, json values).
struct Field {
  template <typename T>
  Field(std::string_view k, T&& v) : key(k), value(boost::json::value_from(std::forward<T>(v))) {}
  std::string_view key;
  boost::json::value value;
};

void Debug(std::string_view event, std::initializer_list<Field> fields = {});
void Info(std::string_view event, std::initializer_list<Field> fields = {});
void Warn(std::string_view event, std::initializer_list<Field> fields = {});
void Error(std::string_view event, std::initializer_list<Field> fields = {});

}  // namespace log
}  // namespace stripeline
