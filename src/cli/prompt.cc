#include "cli/prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>

namespace stripeline::cli {

namespace {

std::string TrimLine(std::string line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Restores the terminal's echo on every path out, including exceptions.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }

 private:
  termios saved_{};
  bool active_ = false;
};

}  // namespace

std::optional<std::string> ReadSecret(const std::string& prompt) {
  std::string line;
  if (isatty(STDIN_FILENO)) {
    std::cerr << prompt << ": " << std::flush;
    EchoOff echo_off;
    if (!std::getline(std::cin, line)) return std::nullopt;
    std::cerr << "\n";
  } else if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  return TrimLine(std::move(line));
}

Result<std::string> ReadSecretOrFile(const std::string& file, const std::string& prompt,
                                     const std::string& what, const std::string& error_code) {
  std::optional<std::string> secret;
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return Status::InvalidArgument("Cannot read the " + what + " from " + file + ": " +
                                         (in ? "the file is empty" : std::strerror(errno)) + ".",
                                     error_code);
    }
    secret = TrimLine(std::move(line));
  } else {
    secret = ReadSecret(prompt);
  }
  if (!secret || secret->empty()) {
    return Status::InvalidArgument("No " + what + " given: type it at the prompt, pipe it on "
                                   "stdin, or name a file holding it.",
                                   error_code);
  }
  return *std::move(secret);
}

bool Confirm(const std::string& question) {
  if (!isatty(STDIN_FILENO)) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace stripeline::cli
