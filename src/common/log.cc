#include "common/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <regex>

namespace stripeline {

namespace {

// Group 1 is the part kept in clear; the tail keeps its last 4 characters.
const std::regex& SecretPattern() {
  static const std::regex pattern(
      R"(\b((?:sk|rk|pk)_(?:live|test)_|whsec_|slt_|rt_|ac_|sess_)([A-Za-z0-9_\-]{6,}))");
  return pattern;
}

boost::json::value Redact(const boost::json::value& value) {
  if (value.is_string()) return boost::json::value(RedactSecrets(value.get_string()));
  if (value.is_object()) {
    boost::json::object out;
    for (const auto& [key, inner] : value.get_object()) out[key] = Redact(inner);
    return out;
  }
  if (value.is_array()) {
    boost::json::array out;
    for (const auto& inner : value.get_array()) out.push_back(Redact(inner));
    return out;
  }
  return value;
}

void Write(spdlog::level::level_enum level, std::string_view event,
           std::initializer_list<log::Field> fields) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  std::string line = "\"event\":" + boost::json::serialize(boost::json::string(event));
  for (const auto& [key, value] : fields) {
    line += ',';
    line += boost::json::serialize(boost::json::string(key));
    line += ':';
    line += boost::json::serialize(Redact(value));
  }
  logger->log(level, line);
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string input(text);
  if (input.find('_') == std::string::npos) return input;  // fast path: nothing key-shaped
  std::string out;
  auto begin = std::sregex_iterator(input.begin(), input.end(), SecretPattern());
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& match = *it;
    out.append(input, last, match.position(0) - last);
    std::string tail = match[2].str();
    out += match[1].str() + "..." + tail.substr(tail.size() - 4);
    last = match.position(0) + match.length(0);
  }
  out.append(input, last);
  return out;
}

Status InitLogging(const LogOptions& options) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.to_stderr) sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!options.file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    } catch (const spdlog::spdlog_ex& e) {
      return Status::InvalidArgument("cannot open log file '" + options.file + "': " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("stripeline", sinks.begin(), sinks.end());
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc));
  auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return Status::InvalidArgument("unknown log level '" + options.level +
                                   "' (use trace, debug, info, warn, error or off)");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
  return Status::OK();
}

namespace log {
void Debug(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::debug, event, fields);
}
void Info(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::info, event, fields);
}
void Warn(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::warn, event, fields);
}
void Error(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::err, event, fields);
}
}  // namespace log

}  // namespace stripeline
