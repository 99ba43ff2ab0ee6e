#include "common/private_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "common/log.h"

namespace stripeline {

namespace fs = std::filesystem;

namespace {

constexpr fs::perms kOthers = fs::perms::group_all | fs::perms::others_all;

std::string ModeText(fs::perms perms) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(perms) & 07777u);
  return text;
}

}  // namespace

Status CreatePrivateDirectories(const fs::path& dir) {
  if (dir.empty()) return Status::OK();
  std::error_code ec;
  std::vector<fs::path> missing;
  for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Internal("Cannot create directory " + it->string() + ": " +
                              std::strerror(errno) +
                              (errno == EROFS ? " (the file system is read-only)" : ""));
    }
  }
  if (missing.empty()) {
    const fs::perms perms = fs::status(dir, ec).permissions();
    if (!ec && (perms & kOthers) != fs::perms::none) {
      log::Warn("files.directory_not_private",
                {{"path", dir.string()},
                 {"mode", ModeText(perms)},
                 {"advice", "chmod 700 it: it holds password hashes and synced customer data"}});
    }
  }
  return Status::OK();
}

Status MakePrivateFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Internal("Cannot create " + path.string() + ": " + std::strerror(errno) +
                            (errno == EROFS ? " (the file system is read-only)" : ""));
  }
  ::close(fd);
  return RestrictIfExists(path);
}

Status RestrictIfExists(const fs::path& path) {
  std::error_code ec;
  const fs::perms perms = fs::status(path, ec).permissions();
  if (ec || !fs::exists(path, ec)) return Status::OK();
  if ((perms & kOthers) == fs::perms::none) return Status::OK();
  fs::permissions(path, kOthers, fs::perm_options::remove, ec);
  if (ec) {
    return Status::Internal("Cannot make " + path.string() + " private (chmod 600): " +
                            ec.message());
  }
  return Status::OK();
}

void WarnIfReadableByOthers(const fs::path& path, std::string_view what) {
  std::error_code ec;
  const fs::perms perms = fs::status(path, ec).permissions();
  if (ec) return;
  if ((perms & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none) {
    log::Warn("files.readable_by_others", {{"path", path.string()},
                                           {"what", std::string(what)},
                                           {"mode", ModeText(perms)},
                                           {"advice", "chmod 600 it"}});
  }
}

}  // namespace stripeline
