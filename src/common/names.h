#pragma once
// The one rule for names people give things — clients, integrations, API tokens, dashboard
// widgets: white space at either end is dropped (Unicode's too: no-break, zero-width and
// ideographic spaces, the byte-order mark), what remains must be valid UTF-8 with at least one
// visible character, no control character (NUL, tab, line breaks) and at most a bounded number
// of characters. So no name is blank on screen, breaks a CSV line or a log, or fills the
// database. Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stripeline {

// The cleaned name, or InvalidArgument "invalid_name" whose message names `what` ("client",
// "integration", ...) and says what is wrong.
Result<std::string> CleanName(std::string_view name, std::string_view what,
                              std::size_t max_characters = 100);

}  // namespace stripeline
