#pragma once
// What the fuzz targets share: FUZZ_CHECK, an invariant that must hold whatever the input
// (a secret never echoed, a signed payload always verifies): when it does not, the target
// aborts with the condition, and libFuzzer saves the input as a crash like any sanitizer report;
// and the reading of inputs made of a first line and the rest, so seeds stay readable.

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#define FUZZ_CHECK(condition)                                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

namespace stripeline::fuzz {

// The input's first line (without its line feed) and what follows it.
inline std::pair<std::string, std::string> FirstLineAndRest(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return {std::string(input), ""};
  return {std::string(input.substr(0, newline)), std::string(input.substr(newline + 1))};
}

// Whether `text_of(secret)` — an error message, a mask — shows the secret whole. A secret that
// merely reads like the fixed text around it ("webhook signing sec") does not count: the text
// must still show the secret after one of its later letters or digits is changed to another of
// the same kind, which no check of a key or secret tells apart. Secrets under 12 characters are
// not looked for (any text holds "a" by chance).
template <typename TextOf>
bool Echoes(TextOf text_of, std::string_view secret) {
  if (secret.size() < 12) return false;
  std::string other(secret);
  size_t i = other.size();
  while (i > 8 && !std::isalnum(static_cast<unsigned char>(other[i - 1]))) --i;
  if (i <= 8) return false;
  char& c = other[i - 1];
  c = c == '9' ? '0' : c == 'z' ? 'a' : c == 'Z' ? 'A' : static_cast<char>(c + 1);
  return std::string(text_of(std::string(secret))).find(secret) != std::string::npos &&
         std::string(text_of(other)).find(other) != std::string::npos;
}

}  // namespace stripeline::fuzz
