#pragma once
// The sample files of tests/unit/reconcile/testdata/, read whole.

#include <fstream>
#include <sstream>
#include <string>

namespace stripeline::reconcile::testing {

inline std::string ReadTestData(const std::string& name) {
  std::ifstream file(std::string(STRIPELINE_SOURCE_DIR) + "/tests/unit/reconcile/testdata/" + name,
                     std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

}  // namespace stripeline::reconcile::testing
