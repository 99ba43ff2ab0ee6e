// generate_ddl [--check] [SOURCE_DIR]: writes the generated DDL files (tools/ddl_generator.h)
// under SOURCE_DIR (default: the current directory), or with --check only says which differ
// (exit 1). Rerunnable: unchanged files are left alone.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "tools/ddl_generator.h"

int main(int argc, char** argv) {
  bool check = false;
  std::filesystem::path root = ".";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--check") {
      check = true;
    } else {
      root = arg;
    }
  }
  int stale = 0;
  for (const auto& file : stripeline::tools::GeneratedFiles()) {
    std::filesystem::path path = root / file.path;
    std::ifstream in(path, std::ios::binary);
    std::stringstream current;
    current << in.rdbuf();
    if (in && current.str() == file.text) continue;
    ++stale;
    if (check) {
      std::cerr << file.path << " is stale: run build/generate_ddl\n";
      continue;
    }
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << file.text;
    if (!out) {
      std::cerr << "cannot write " << path << "\n";
      return 2;
    }
    std::cout << "wrote " << file.path << "\n";
  }
  return check && stale > 0 ? 1 : 0;
}
