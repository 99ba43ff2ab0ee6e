#pragma once
// TempDir: a fresh directory under the system temp dir, removed with everything in it at scope
// exit. Shared by the unit tests of common/, access/, integrations/ and http/ (they include it
// as "unit/common/temp_dir.h"). Not thread-safe; one per test.

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace stripeline::test_util {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("stripeline_unit_" + std::to_string(rd()) + "_" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // True when any file under the directory holds `needle` as raw bytes (e.g. a secret that must
  // only be stored encrypted).
  bool AnyFileContains(const std::string& needle) const {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
      if (!entry.is_regular_file()) continue;
      if (ReadFile(entry.path()).find(needle) != std::string::npos) return true;
    }
    return false;
  }

  static std::string ReadFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace stripeline::test_util
