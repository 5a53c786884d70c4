#include "traces/header.h"

#include "absl/strings/str_cat.h"
#include "sim/host_profiles.h"
#include "sim/kernel_faults.h"
#include "traces/format.h"
#include "traces/printable.h"

namespace iocpsim::traces {
namespace {

// Header.poller for a variant other than today's, which writes nothing so
// that its traces stay as older versions wrote them. True if it was set.
bool SetPoller(poller::Variant v, trace::Header& h) {
  if (v == poller::Variant::kHighRes) return false;
  h.set_poller(poller::VariantName(v));
  return true;
}

}  // namespace

absl::StatusOr<poller::Variant> VariantFromHeader(const trace::Header& h) {
  if (h.poller().empty()) return poller::Variant::kHighRes;
  std::optional<poller::Variant> v = poller::ParseVariant(h.poller());
  if (!v) {
    return absl::InvalidArgumentError(
        absl::StrCat("header.poller \"", Printable(h.poller()), "\" is unknown"));
  }
  return *v;
}

trace::Header SimHeader(const sim::SimulationConfig& config, const std::string& workload,
                        uint64_t workload_seed) {
  trace::Header h;
  h.set_tool_version(kToolVersion);
  const sim::KernelConfig& k = config.kernel;
  trace::SimHost* host = h.mutable_backend()->mutable_sim();
  host->set_tick_ns(k.tick_ns);
  host->set_timer_resolution_ns(k.timer_resolution_ns);
  host->set_high_resolution_timers(k.high_resolution_timers);
  host->set_have_nt_create_wait_completion_packet(k.have_NtCreateWaitCompletionPacket);
  host->set_have_nt_associate_wait_completion_packet(k.have_NtAssociateWaitCompletionPacket);
  host->set_have_nt_cancel_wait_completion_packet(k.have_NtCancelWaitCompletionPacket);
  host->set_epoch_filetime(k.epoch_filetime);
  // The default host writes none of the fields added in version 2, so its
  // traces stay what version 1 wrote (traces/format.h).
  if (k.profile != sim::kDefaultHostProfile) host->set_profile(k.profile);
  host->set_waiter_order(k.waiter_order == sim::WaiterOrder::kFifo ? trace::SimHost::FIFO
                                                                    : trace::SimHost::LIFO);
  host->set_close_leaves_waiters(!k.close_abandons_waiters);
  host->set_removed_on_timeout(k.removed_on_timeout);
  host->set_expiries_from_call(k.expiry_grid == sim::ExpiryGrid::kFromCall);
  host->set_zero_count_succeeds(k.zero_count_succeeds);
  host->set_unknown_timer_flags_ignored(k.unknown_timer_flags_ignored);
  host->set_apcs_after_entries(k.apcs_after_entries);
  host->set_processors(k.processors == sim::KernelConfig::kDefaultProcessors ? 0 : k.processors);
  host->set_concurrency_unlimited(!k.concurrency_limited);
  host->set_wake_timers_ignored(k.wake_timers_ignored);
  const bool v2_rules = host->waiter_order() != trace::SimHost::LIFO ||
                        host->close_leaves_waiters() || host->removed_on_timeout() != 0 ||
                        host->expiries_from_call() || host->zero_count_succeeds() ||
                        host->unknown_timer_flags_ignored();
  for (const sim::InjectedFault& f : k.faults) {
    trace::InjectedFault* out = host->add_fault();
    out->set_call(f.call);
    out->set_nth(f.nth);
    out->set_error(f.error);
  }
  host->set_timer_latency_ns(k.timer_latency_ns);
  const bool variant = SetPoller(config.runtime.variant, h);
  h.set_format_version(config.queues_apcs            ? kApcFormatVersion
                       : config.runtime.gopark_switch ? kGoparkFormatVersion
                       : k.timer_latency_ns != 0   ? kLatencyFormatVersion
                       : variant               ? kPollerFormatVersion
                       : !k.faults.empty()     ? kFaultsFormatVersion
                       : v2_rules              ? kHostRulesFormatVersion
                                               : kOldestFormatVersion);
  h.set_workload(workload);
  h.set_workload_seed(workload_seed);
  trace::SchedulerConfig* s = h.mutable_scheduler();
  s->set_strategy("random");
  s->set_seed(config.seed);
  s->set_preemption(config.scheduler.preemption);
  s->set_preempt_ppm(config.preempt_ppm);
  s->set_max_steps(config.scheduler.max_steps);
  h.set_poller_variant(poller::MutantName(config.runtime.mutant));
  h.set_gomaxprocs(config.runtime.gomaxprocs);
  h.set_ptr_size(config.kernel.ptr_size);
  return h;
}

trace::Header RealHeader(const std::string& os, const std::string& machine,
                         const poller::RuntimeConfig& runtime, const std::string& workload,
                         uint64_t workload_seed) {
  trace::Header h;
  h.set_format_version(kFormatVersion);
  h.set_tool_version(kToolVersion);
  trace::RealHost* host = h.mutable_backend()->mutable_real();
  host->set_os(os);
  host->set_machine(machine);
  h.set_workload(workload);
  h.set_workload_seed(workload_seed);
  h.set_poller_variant(poller::MutantName(runtime.mutant));
  SetPoller(runtime.variant, h);
  h.set_gomaxprocs(runtime.gomaxprocs);
  h.set_ptr_size(runtime.goarch.PtrSize);
  return h;
}

absl::StatusOr<sim::SimulationConfig> ConfigFromHeader(const trace::Header& h) {
  if (!h.backend().has_sim()) {
    return absl::InvalidArgumentError("header.backend: not a simulated run");
  }
  const trace::SimHost& host = h.backend().sim();
  // Clocks from 1 us to 1000 s keep every deadline computation in range.
  constexpr int64_t kMinClock = 1'000, kMaxClock = 1'000'000'000'000;
  if (host.tick_ns() < kMinClock || host.tick_ns() > kMaxClock) {
    return absl::InvalidArgumentError("header.backend.sim.tick_ns must be between 1e3 and 1e12");
  }
  if (host.timer_resolution_ns() < kMinClock || host.timer_resolution_ns() > kMaxClock) {
    return absl::InvalidArgumentError(
        "header.backend.sim.timer_resolution_ns must be between 1e3 and 1e12");
  }
  if (host.timer_latency_ns() < 0 || host.timer_latency_ns() > sim::kMaxTimerLatencyNs) {
    return absl::InvalidArgumentError(
        "header.backend.sim.timer_latency_ns must be between 0 and 1e9");
  }
  if (host.epoch_filetime() < 0) {
    return absl::InvalidArgumentError("header.backend.sim.epoch_filetime must be >= 0");
  }
  if (h.ptr_size() != 4 && h.ptr_size() != 8) {
    return absl::InvalidArgumentError(absl::StrCat("header.ptr_size is ", h.ptr_size(), ", not 4 or 8"));
  }
  if (h.gomaxprocs() < 1) return absl::InvalidArgumentError("header.gomaxprocs must be >= 1");
  std::optional<poller::Mutant> mutant = poller::ParseMutant(h.poller_variant());
  if (!mutant) {
    return absl::InvalidArgumentError(
        absl::StrCat("header.poller_variant \"", Printable(h.poller_variant()), "\" is unknown"));
  }
  absl::StatusOr<poller::Variant> variant = VariantFromHeader(h);
  if (!variant.ok()) return variant.status();
  if (!poller::MutantInVariant(*mutant, *variant)) {
    return absl::InvalidArgumentError(absl::StrCat("header.poller_variant \"", h.poller_variant(),
                                                   "\" is not a mutant of the ", h.poller(),
                                                   " poller"));
  }
  if (h.scheduler().max_steps() < 1 || h.scheduler().max_steps() > kMaxTraceSteps) {
    return absl::InvalidArgumentError(absl::StrCat("header.scheduler.max_steps is ",
                                                   h.scheduler().max_steps(), ", not in 1..",
                                                   kMaxTraceSteps));
  }
  if (!trace::SimHost::WaiterOrder_IsValid(host.waiter_order())) {
    return absl::InvalidArgumentError(absl::StrCat("header.backend.sim.waiter_order ",
                                                   host.waiter_order(), " is unknown"));
  }
  sim::SimulationConfig c;
  c.kernel = KernelFromSimHost(host);
  if (absl::Status st = sim::CheckFaults(c.kernel.faults); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("header.backend.sim.", st.message()));
  }
  c.kernel.ptr_size = h.ptr_size();
  c.runtime.gomaxprocs = h.gomaxprocs();
  c.runtime.mutant = *mutant;
  c.runtime.variant = *variant;
  c.seed = h.scheduler().seed();
  c.scheduler.preemption = h.scheduler().preemption();
  c.scheduler.max_steps = h.scheduler().max_steps();
  c.preempt_ppm = h.scheduler().preempt_ppm();
  return c;
}

sim::KernelConfig KernelFromSimHost(const trace::SimHost& host) {
  sim::KernelConfig k;
  // A profile name is a label: the fields below are the rules, so a name
  // this build does not know is kept as it is.
  k.profile = host.profile().empty() ? sim::kDefaultHostProfile : host.profile();
  k.tick_ns = host.tick_ns();
  k.timer_resolution_ns = host.timer_resolution_ns();
  k.timer_latency_ns = host.timer_latency_ns();  // 0 before format version 5: on the grid
  k.expiry_grid =
      host.expiries_from_call() ? sim::ExpiryGrid::kFromCall : sim::ExpiryGrid::kClockTicks;
  k.high_resolution_timers = host.high_resolution_timers();
  k.have_NtCreateWaitCompletionPacket = host.have_nt_create_wait_completion_packet();
  k.have_NtAssociateWaitCompletionPacket = host.have_nt_associate_wait_completion_packet();
  k.have_NtCancelWaitCompletionPacket = host.have_nt_cancel_wait_completion_packet();
  k.waiter_order = host.waiter_order() == trace::SimHost::FIFO ? sim::WaiterOrder::kFifo
                                                               : sim::WaiterOrder::kLifo;
  k.close_abandons_waiters = !host.close_leaves_waiters();
  k.removed_on_timeout = host.removed_on_timeout();
  k.zero_count_succeeds = host.zero_count_succeeds();
  k.unknown_timer_flags_ignored = host.unknown_timer_flags_ignored();
  k.apcs_after_entries = host.apcs_after_entries();
  k.processors = host.processors() == 0 ? sim::KernelConfig::kDefaultProcessors : host.processors();
  k.concurrency_limited = !host.concurrency_unlimited();
  k.wake_timers_ignored = host.wake_timers_ignored();
  k.epoch_filetime = host.epoch_filetime();
  for (const trace::InjectedFault& f : host.fault()) {
    k.faults.push_back({f.call(), f.nth(), f.error()});
  }
  return k;
}

}  // namespace iocpsim::traces
