#pragma once
// Reading JSON request bodies with clear errors: "Field 'name' must be a string." Pure.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "common/result.h"

namespace stripeline::http {

// An empty body reads as {}. Malformed JSON or a non-object → InvalidArgument "invalid_json".
Result<boost::json::object> ParseJsonObject(const std::string& body);

// Absent → nullopt; present but not a string → error. JSON null also reads as nullopt.
Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  const char* field);
// Like OptionalString, but distinguishes absent (outer nullopt) from null (inner nullopt).
Result<std::optional<std::optional<std::string>>> NullableString(const boost::json::object& object,
                                                                 const char* field);
Result<std::string> RequiredString(const boost::json::object& object, const char* field);
Result<std::optional<bool>> OptionalBool(const boost::json::object& object, const char* field);

}  // namespace stripeline::http
