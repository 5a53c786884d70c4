// The "mixed" workload: GOMAXPROCS 4, one M waiting for Go timers in
// netpoll as findRunnable does (sub-millisecond to tick-sized deadlines,
// polling again after an early return), one spinning M polling with delay 0,
// one M breaking the poll as timers change (and then polling itself), a
// device completing reads for
// goroutines parked on four sockets, and a foreign library whose own
// completions arrive on Go's port (go.dev/issue/58870).
#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/prng.h"
#include "sim/workloads/readers.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {
namespace {

constexpr int kConns = 4;
constexpr int kPollerRounds = 40;
constexpr int kSpinnerRounds = 30;
constexpr int kBreaks = 25;
constexpr int kCompletions = 30;
constexpr int kForeignEvery = 7;  // every 7th device event is foreign
constexpr std::array<int64_t, 6> kDelays = {50'000, 400'000, 999'999,
                                            1'000'000, 3'200'000, 16'000'000};

class Mixed : public Workload {
 public:
  void Configure(sim::SimulationConfig& config) const override {
    config.runtime.gomaxprocs = 4;
    config.scheduler.preemption = true;
  }

  absl::Status Setup(sim::Process& s, uint64_t seed) override {
    rng_ = std::make_unique<sim::Prng>(seed ^ 0x6d697865642d776bull);
    if (!s.Boot()) return absl::InternalError(s.fatal()->message);
    readers_.Add(kConns);
    absl::Status opened;
    if (!s.SetUp([&] {
          for (int i = 0; i < kConns && opened.ok(); ++i) opened = readers_.Open(s, i);
        })) {
      return absl::InternalError(s.fatal()->message);
    }
    if (!opened.ok()) return opened;
    // A foreign library associates its own handle with Go's port under a
    // key that reads as netpollSourceReady; its OVERLAPPED is followed by
    // words that are not a pollDesc.
    poller::Runtime& rt = s.runtime();
    foreign_fd_ = s.env().CreateFile();
    if (s.nt().CreateIoCompletionPort(foreign_fd_, rt.iocphandle, 1, 0) == 0) {
      return absl::InternalError("foreign association failed");
    }
    foreign_ov_ = rt.heap().newForeign({0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    s.SpawnM("poller", [this, &s](poller::M&) { Poller(s); });
    s.SpawnM("spinner", [this, &s](poller::M&) { Spinner(s); });
    s.SpawnM("timers", [this, &s](poller::M&) { Breaker(s); });
    s.SpawnThread("device", [this, &s] { Device(s); });
    return absl::OkStatus();
  }

  const IoTally& tally() const override { return tally_; }

 private:
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng_->Below(static_cast<uint64_t>(hi - lo + 1)));
  }

  // Waits for Go timers; then stays until every completion is delivered.
  void Poller(sim::Process& s) {
    for (int i = 0; i < kPollerRounds; ++i) {
      readers_.PollUntil(s, kDelays[rng_->Below(kDelays.size())], tally_);
    }
    while (!device_done_ || readers_.any_pending()) readers_.PollUntil(s, 1'000'000, tally_);
  }

  void Spinner(sim::Process& s) {
    for (int i = 0; i < kSpinnerRounds; ++i) {
      s.env().Sleep(Between(0, 2'000'000));
      readers_.Poll(s, 0, tally_);
    }
  }

  // An M whose goroutine moves a timer earlier: wakeNetPoller breaks the
  // poll, then the M looks for work itself, polling without blocking. Its
  // timer changes land on the 0.5 ms timer grid, where the poller's own
  // timer expires too.
  void Breaker(sim::Process& s) {
    for (int i = 0; i < kBreaks; ++i) {
      s.env().Sleep(Between(1, 10) * 500'000);
      s.runtime().netpollBreak();
      readers_.Poll(s, 0, tally_);
    }
  }

  void Device(sim::Process& s) {
    for (int i = 0; i < kCompletions; ++i) {
      s.env().Sleep(Between(100'000, 3'000'000));
      if (i % kForeignEvery == kForeignEvery - 1) {
        s.env().CompleteIo(foreign_fd_, foreign_ov_, 64, nt::STATUS_SUCCESS);
        continue;
      }
      const int c = static_cast<int>(rng_->Below(kConns));
      if (!readers_.pending(c)) readers_.Complete(s, c, tally_);  // else not yet consumed
    }
    device_done_ = true;
  }

  std::unique_ptr<sim::Prng> rng_;
  Readers readers_;
  uintptr_t foreign_fd_ = 0;
  uintptr_t foreign_ov_ = 0;
  bool device_done_ = false;
  IoTally tally_;
};

}  // namespace

std::unique_ptr<Workload> NewMixedWorkload() { return std::make_unique<Mixed>(); }

}  // namespace iocpsim::workloads
