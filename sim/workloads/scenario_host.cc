#include "sim/workloads/scenario_host.h"

namespace iocpsim::workloads {

sim::HostSpec HostSpecOf(const scenario::Host& h) {
  sim::HostSpec s;
  if (h.has_profile()) s.profile = h.profile();
  if (h.has_tick_ms()) s.tick_ns = sim::ClockNs(h.tick_ms());
  if (h.has_timer_resolution_ms()) s.timer_resolution_ns = sim::ClockNs(h.timer_resolution_ms());
  if (h.has_timer_latency_ms()) s.timer_latency_ns = sim::ClockNs(h.timer_latency_ms());
  if (h.has_wait_packets()) s.wait_packets = h.wait_packets();
  if (h.has_high_res_timers()) s.high_res_timers = h.high_res_timers();
  return s;
}

void LayHostSpec(const sim::HostSpec& spec, scenario::Scenario* sc) {
  if (!spec.profile && !spec.tick_ns && !spec.timer_resolution_ns && !spec.timer_latency_ns &&
      !spec.wait_packets && !spec.high_res_timers) {
    return;
  }
  scenario::Host* h = sc->mutable_host();
  if (spec.profile) {
    h->set_profile(*spec.profile);
    h->clear_tick_ms();
    h->clear_timer_resolution_ms();
    h->clear_timer_latency_ms();
    h->clear_wait_packets();
    h->clear_high_res_timers();
  }
  if (spec.tick_ns) h->set_tick_ms(static_cast<double>(*spec.tick_ns) / 1e6);
  if (spec.timer_resolution_ns) {
    h->set_timer_resolution_ms(static_cast<double>(*spec.timer_resolution_ns) / 1e6);
  }
  if (spec.timer_latency_ns) {
    h->set_timer_latency_ms(static_cast<double>(*spec.timer_latency_ns) / 1e6);
  }
  if (spec.wait_packets) h->set_wait_packets(*spec.wait_packets);
  if (spec.high_res_timers) h->set_high_res_timers(*spec.high_res_timers);
}

}  // namespace iocpsim::workloads
