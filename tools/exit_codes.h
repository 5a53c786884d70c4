// The exit codes of every iocpsim verb. One table, so that the same damage
// gives the same code whichever verb meets it (a damaged trace is bad input
// for show as for replay), and scripts can tell "found something" from "could
// not run".
#ifndef IOCPSIM_TOOLS_EXIT_CODES_H_
#define IOCPSIM_TOOLS_EXIT_CODES_H_

namespace iocpsim::tools {

inline constexpr int kExitOk = 0;           // ran, nothing found
inline constexpr int kExitFound = 1;        // violations, divergences or unforced races
inline constexpr int kExitBadInput = 2;     // bad usage, flag, file or trace
// Interrupted (explore, simulate): 128 + the signal, as shells report it.
inline constexpr int kExitSigint = 130;
inline constexpr int kExitSigterm = 143;

// The table as `iocpsim help` prints it.
inline constexpr const char* kExitCodeHelp =
    "exit codes:\n"
    "  0    ran; no violation or divergence\n"
    "  1    violations, divergences or unforced scripted races found\n"
    "  2    bad input: usage, a flag, a file, a damaged trace or scenario\n"
    "  130  interrupted by SIGINT (explore, simulate): what ran is reported\n"
    "  143  interrupted by SIGTERM (explore, simulate): what ran is reported\n"
    "       (a second signal exits at once, with the same code)\n";

}  // namespace iocpsim::tools

#endif  // IOCPSIM_TOOLS_EXIT_CODES_H_
