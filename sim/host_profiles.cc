// The host profiles. Each rule a profile sets is a row of sim/SEMANTICS.md.
#include "sim/host_profiles.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace iocpsim::sim {
namespace {

constexpr int64_t kMs = 1'000'000;

KernelConfig Windows() { return KernelConfig{}; }

// Windows 10 before 1803 refuses CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
// [S13]. Go's initHighResTimer then leaves haveHighResTimer (and with it
// haveHighResSleep) false, so the wait packets ntdll still exports go unused,
// and osinit calls timeBeginPeriod(1) (osRelax(false)): a 1 ms tick [S10].
// With no high-resolution timer there is no latency beyond its grid [S46]
// either: its traces stay as before.
KernelConfig WindowsPre1803() {
  KernelConfig k;
  k.high_resolution_timers = false;
  k.tick_ns = 1 * kMs;
  k.timer_latency_ns = 0;
  return k;
}

// Wine 8.0 as measured on Debian 12 (shared/notes/windows-build.md).
KernelConfig Wine8() {
  KernelConfig k;
  k.SetWaitPacketsAvailable(false);      // [S28]
  k.waiter_order = WaiterOrder::kFifo;   // [S38]
  k.close_abandons_waiters = false;      // [S39]
  k.removed_on_timeout = 1;              // [S40]
  k.zero_count_succeeds = true;          // [S43]
  k.unknown_timer_flags_ignored = true;  // [S44]
  k.apcs_after_entries = true;           // [S35]
  k.concurrency_limited = false;         // [S36]
  k.wake_timers_ignored = true;          // [S48]
  k.tick_ns = 1 * kMs;                   // [S41] timeouts and both kinds of
  k.timer_resolution_ns = 1 * kMs;       // timer in whole ms from the call
  k.expiry_grid = ExpiryGrid::kFromCall;
  k.timer_latency_ns = 0;  // [S46] Wine 8's ~0.1 ms over is every wait's [S41]
  return k;
}

HostProfile Named(const char* name, const char* summary, KernelConfig k) {
  k.profile = name;
  return HostProfile{name, summary, k};
}

}  // namespace

const std::vector<HostProfile>& HostProfiles() {
  static const auto* const kProfiles = new std::vector<HostProfile>{
      Named(kDefaultHostProfile,
            "Windows 10 1803 and later: 15.625 ms tick, 0.5 ms high-resolution timers (up "
            "to 0.1 ms late), wait completion packets",
            Windows()),
      Named("windows-pre1803",
            "Windows 10 before 1803: no high-resolution timers, so Go sets a 1 ms tick and "
            "leaves the wait packets unused",
            WindowsPre1803()),
      Named("wine8",
            "Wine 8.0: no wait packets, 1 ms steps from each call, waiters released FIFO, "
            "closing a port ends no wait, 1 entry removed on timeout",
            Wine8()),
  };
  return *kProfiles;
}

std::string HostProfileNames() {
  std::string out;
  for (const HostProfile& p : HostProfiles()) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", p.name);
  }
  return out;
}

absl::StatusOr<KernelConfig> HostProfileConfig(absl::string_view name) {
  for (const HostProfile& p : HostProfiles()) {
    if (name == p.name) return p.kernel;
  }
  return absl::NotFoundError(
      absl::StrCat("unknown host \"", name, "\" (hosts: ", HostProfileNames(), ")"));
}

std::string DescribeHost(const KernelConfig& k) {
  auto ms = [](int64_t ns) { return absl::StrCat(static_cast<double>(ns) / kMs, " ms"); };
  const bool fifo = k.waiter_order == WaiterOrder::kFifo;
  std::string faults;
  for (const InjectedFault& f : k.faults) {
    absl::StrAppend(&faults, faults.empty() ? "; injected: " : ", ", f.call, " #", f.nth,
                    absl::StrFormat(" fails with %#x", f.error));
  }
  return absl::StrCat(
      k.profile, ": tick ", ms(k.tick_ns), ", high-resolution timers ",
      k.high_resolution_timers ? ms(k.timer_resolution_ns) : "no",
      k.high_resolution_timers && k.timer_latency_ns > 0
          ? absl::StrCat(" and up to ", ms(k.timer_latency_ns), " late [S46]")
          : "",
      ", wait packets ",
      k.have_NtCreateWaitCompletionPacket ? "yes" : "no", "; waiters ",
      fifo ? "FIFO [S38]" : "LIFO [S9]", ", close ",
      k.close_abandons_waiters ? "abandons waits [S12]" : "leaves waits [S39]",
      ", timeout removes ", k.removed_on_timeout, k.removed_on_timeout == 0 ? " [S11]" : " [S40]",
      k.zero_count_succeeds ? ", a zero count succeeds [S43]" : "",
      k.unknown_timer_flags_ignored ? ", unknown timer flags ignored [S44]" : "",
      k.apcs_after_entries ? ", APCs after queued entries [S35]" : "",
      k.concurrency_limited ? "" : ", no port concurrency limit [S36]",
      k.wake_timers_ignored ? ", no wake timers [S48]" : "",
      ", waits end ",
      k.expiry_grid == ExpiryGrid::kFromCall ? "whole steps from the call [S41]"
                                             : "on the clock's ticks [S10]",
      faults);
}

absl::Status ApplyHostSpec(const HostSpec& spec, KernelConfig& kernel) {
  KernelConfig k = kernel;
  if (spec.profile) {
    absl::StatusOr<KernelConfig> p = HostProfileConfig(*spec.profile);
    if (!p.ok()) return p.status();
    k = *p;
    k.ptr_size = kernel.ptr_size;  // the target's, not the host's
    k.epoch_filetime = kernel.epoch_filetime;
    k.faults = kernel.faults;  // the scenario's, not the host's
  }
  if (spec.tick_ns) k.tick_ns = *spec.tick_ns;
  if (spec.timer_resolution_ns) k.timer_resolution_ns = *spec.timer_resolution_ns;
  if (spec.timer_latency_ns) k.timer_latency_ns = *spec.timer_latency_ns;
  if (spec.wait_packets) k.SetWaitPacketsAvailable(*spec.wait_packets);
  if (spec.high_res_timers) k.high_resolution_timers = *spec.high_res_timers;
  kernel = k;
  return absl::OkStatus();
}

}  // namespace iocpsim::sim
