#include "cli/cli.h"

int main(int argc, char** argv) { return stripeline::cli::Main(argc, argv); }
