// iocpsim sleepmodel: time.Sleep on Windows, modelled around both versions
// of the ported poller, next to the published figures (docs/sleep-model.md).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "model/published.h"
#include "model/sleep_model.h"
#include "sim/host_profiles.h"
#include "tools/flag_limits.h"
#include "tools/paths.h"
#include "tools/run_flags.h"
#include "tools/verb.h"
#include "traces/time_text.h"
#include "traces/writer.h"

ABSL_FLAG(int, rounds, 64, "Rounds of back-to-back sleeps per figure.");
ABSL_FLAG(std::string, curve, "",
          "Also write sleep latency against the requested duration, for both pollers at a "
          "15.625 ms and a 1 ms tick, to this CSV file (tools/plot_sleep.py draws it).");

namespace iocpsim::tools {
namespace {

using model::SleepModelConfig;
using model::SleepModelResult;

using traces::MsText;

std::vector<poller::Variant> Pollers() {
  absl::StatusOr<std::vector<poller::Variant>> listed = PollersFromFlag();
  if (listed.ok() && !listed->empty()) return *listed;
  return {poller::Variant::kLowRes, poller::Variant::kHighRes};
}

absl::StatusOr<SleepModelResult> Model(poller::Variant v, int64_t sleep_ns, int32_t gomaxprocs,
                                       int64_t interrupt_ns, sim::HostSpec host) {
  SleepModelConfig c;
  c.variant = v;
  c.host = std::move(host);
  c.sleep_ns = sleep_ns;
  c.gomaxprocs = gomaxprocs;
  c.interrupt_ns = interrupt_ns;
  c.rounds = absl::GetFlag(FLAGS_rounds);
  return model::RunSleepModel(c);
}

// BenchmarkSleep per op, for each poller and clock interrupt period.
absl::Status PrintBenchmarkSleep(int64_t tick_ns) {
  std::printf("BenchmarkSleep-12 (src/time/sleep_test.go): 12 workers, each op starts 1000 "
              "goroutines that Sleep(1ns) and waits for them; running them costs nothing here\n");
  std::printf("  %-8s %-14s %14s %14s %16s %8s\n", "poller", "interrupts", "round (median)",
              "per op", "published", "ratio");
  std::vector<int64_t> periods = {tick_ns};
  for (int64_t p : {int64_t{1'000'000}, int64_t{500'000}}) {
    if (p < tick_ns) periods.push_back(p);
  }
  for (int64_t period : periods) {
    for (poller::Variant v : Pollers()) {
      absl::StatusOr<SleepModelResult> r =
          Model(v, 1, model::kBenchmarkSleepGomaxprocs, period, HostSpecFromFlags());
      if (!r.ok()) return r.status();
      const double per_op_us = r->PerOpNs(model::kBenchmarkSleepGomaxprocs) / 1e3;
      const double published = v == poller::Variant::kLowRes ? model::kBenchmarkSleepOldUs
                                                             : model::kBenchmarkSleepNewUs;
      std::printf("  %-8s %-14s %11s ms %11.1f us %10.1f us %s %8.3f\n", poller::VariantName(v),
                  absl::StrCat("every ", MsText(period), " ms").c_str(),
                  MsText(r->MedianRoundNs()).c_str(), per_op_us, published,
                  v == poller::Variant::kLowRes ? "±5%" : "±1%", per_op_us / published);
    }
  }
  return absl::OkStatus();
}

// time.Sleep(1ms) back to back, as go.dev/issue/44343 measured it.
absl::Status PrintSleep1ms() {
  std::printf("\ntime.Sleep(1ms) back to back (go.dev/issue/44343: p50 %.1f ms on the old "
              "poller)\n", model::kSleep1msMedianMs);
  for (poller::Variant v : Pollers()) {
    absl::StatusOr<SleepModelResult> r = Model(v, 1'000'000, 1, 0, HostSpecFromFlags());
    if (!r.ok()) return r.status();
    std::printf("  %-8s median %s ms", poller::VariantName(v), MsText(r->MedianRoundNs()).c_str());
    if (v == poller::Variant::kLowRes) {
      std::printf(", %.3f of the published p50", r->MedianRoundNs() / 1e6 / model::kSleep1msMedianMs);
    }
    std::printf("\n");
  }
  return absl::OkStatus();
}

// Latency against the requested duration: both pollers, both tick settings.
absl::Status WriteCurve(const std::string& path) {
  std::string csv = "requested_ms,poller,tick_ms,median_ms\n";
  const double requested[] = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 25, 30};
  for (double tick_ms : {15.625, 1.0}) {
    for (poller::Variant v : {poller::Variant::kLowRes, poller::Variant::kHighRes}) {
      for (double ms : requested) {
        sim::HostSpec host = HostSpecFromFlags();
        host.tick_ns = sim::ClockNs(tick_ms);
        absl::StatusOr<SleepModelResult> r = Model(v, sim::ClockNs(ms), 1, 0, host);
        if (!r.ok()) return r.status();
        absl::StrAppend(&csv, ms, ",", poller::VariantName(v), ",", tick_ms, ",",
                        MsText(r->MedianRoundNs()), "\n");
      }
    }
  }
  absl::StatusOr<std::unique_ptr<traces::FileSink>> out = traces::FileSink::Open(path);
  if (!out.ok()) return out.status();
  (*out)->Append(csv);
  return (*out)->Close();
}

int Run(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "iocpsim sleepmodel: unexpected argument \"%s\"\n", args[0].c_str());
    return kExitBadInput;
  }
  if (absl::Status st = CheckRange("rounds", absl::GetFlag(FLAGS_rounds), 1, model::kMaxRounds);
      !st.ok()) {
    std::fprintf(stderr, "iocpsim sleepmodel: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  sim::KernelConfig host;
  absl::Status st = sim::ApplyHostSpec(HostSpecFromFlags(), host);
  if (st.ok()) {
    std::printf("host %s\n\n", sim::DescribeHost(host).c_str());
    st = PrintBenchmarkSleep(host.tick_ns);
  }
  if (st.ok()) st = PrintSleep1ms();
  if (const std::string curve = absl::GetFlag(FLAGS_curve); st.ok() && !curve.empty()) {
    st = WriteCurve(ResolvePath(curve));
  }
  if (!st.ok()) {
    std::fprintf(stderr, "iocpsim sleepmodel: %s\n", std::string(st.message()).c_str());
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace

const Verb& SleepModelVerb() {
  static const Verb v = {
      "sleepmodel",
      "model time.Sleep around both pollers, next to the published figures",
      "Model Go's time.Sleep on Windows around the ported poller, both versions (lowres: "
      "before commit cf52e709; highres: since): an idle M computes the delay to the next "
      "timer from nanotime (InterruptTime, which moves at clock interrupts), calls "
      "netpoll(delay) on the simulated kernel and runs the timer once nanotime reaches it. "
      "Prints BenchmarkSleep-12's time per op and a 1 ms sleep's median next to the published "
      "figures (docs/sleep-model.md gives the parameters and their sources).",
      "[--poller=V[,V]] [--rounds=N] [--curve=FILE.csv] [--host=NAME] [--tick_ms=MS]",
      WithHostFlags({"rounds", "curve"}),
      &Run,
  };
  return v;
}

}  // namespace iocpsim::tools
