// The `momentum` command-line tool (src/cli/run.hpp: parsing, dispatch and exit statuses).
#include "run.hpp"

int main(int argc, char** argv) { return momentum::cli::run(argc, argv); }
