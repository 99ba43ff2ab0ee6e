#pragma once
// Reading secrets and confirmations from the terminal or standard input, so a secret never has
// to appear on the command line (where shell history and `ps` would keep it).

#include <optional>
#include <string>

#include "common/result.h"

namespace stripeline::cli {

// From a terminal: prompts on stderr with echo off. From a pipe: reads one line. Surrounding
// whitespace of a piped line (the newline) is dropped. nullopt at end of input.
std::optional<std::string> ReadSecret(const std::string& prompt);
// A secret from `file` (its first line, newline dropped) when one is named, else ReadSecret
// with `prompt`. Nothing given, or a file that cannot be read, is InvalidArgument with
// `error_code`; the message names `what`, never the secret.
Result<std::string> ReadSecretOrFile(const std::string& file, const std::string& prompt,
                                     const std::string& what, const std::string& error_code);
// Asks "<question> [y/N]" on a terminal; anything but y/yes is no. Not a terminal → false.
bool Confirm(const std::string& question);

}  // namespace stripeline::cli
