#pragma once
// Helpers shared by the emulator's endpoint groups (API, admin, OAuth): reading parameters and
// drawing random characters. Pure functions; thread-safe (the generator is the caller's).

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "common/http_message.h"

namespace stripeline::emulator {

// Parameters from the query, then a form or JSON-object body; arrays in JSON become repeated
// fields.
Fields RequestParams(const HttpRequest& request);

// The first value of `name`, or nullopt.
std::optional<std::string> Param(const Fields& params, std::string_view name);

// "true"/"1" and "false"/"0"; nullopt for anything else.
std::optional<bool> ParseBool(std::string_view text);

// `n` characters of [0-9A-Za-z] (or [0-9A-Z] when upper_only) drawn from `rng`.
std::string RandomFrom(std::mt19937_64& rng, size_t n, bool upper_only = false);

}  // namespace stripeline::emulator
