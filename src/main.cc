#include "cli/cli.h"
#include "common/allocator.h"

int main(int argc, char** argv) {
  stripeline::KeepFreedMemoryForReuse();
  return stripeline::cli::Main(argc, argv);
}
