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
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {
namespace {

constexpr int kConns = 4;
constexpr int kPollerRounds = 40;
constexpr int kSpinnerRounds = 30;
constexpr int kBreaks = 25;
constexpr int kCompletions = 30;
constexpr int kForeignEvery = 7;              // every 7th device event is foreign
constexpr int64_t kSchedulerLoopNs = 1'000;   // findRunnable's work between polls
constexpr std::array<int64_t, 6> kDelays = {50'000, 400'000, 999'999,
                                            1'000'000, 3'200'000, 16'000'000};

class Mixed : public Workload {
 public:
  void Configure(sim::SimulationConfig& config) const override {
    config.runtime.gomaxprocs = 4;
    config.scheduler.preemption = true;
  }

  absl::Status Setup(sim::Simulation& s, uint64_t seed) override {
    rng_ = std::make_unique<sim::Prng>(seed ^ 0x6d697865642d776bull);
    if (!s.Boot()) return absl::InternalError(s.fatal()->message);
    poller::Runtime& rt = s.runtime();
    for (int i = 0; i < kConns; ++i) {
      Conn& c = conns_[i];
      c.fd = s.env().CreateFile();
      auto [pd, err] = rt.pollOpen(c.fd);
      if (pd == nullptr) return absl::InternalError(absl::StrCat("pollOpen: errno ", err));
      c.pd = pd;
      c.gp = rt.heap().newG(100 + i);
      c.op = rt.heap().newPollOperation(pd, 'r');
      rt.netpollblock(pd, 'r', c.gp);  // the reader parks
    }
    // A foreign library associates its own handle with Go's port under a
    // key that reads as netpollSourceReady; its OVERLAPPED is followed by
    // words that are not a pollDesc.
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
  struct Conn {
    uintptr_t fd = 0;
    poller::pollDesc* pd = nullptr;
    poller::g* gp = nullptr;
    uintptr_t op = 0;
    bool pending = false;  // a completion was issued and not yet delivered
  };

  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng_->Below(static_cast<uint64_t>(hi - lo + 1)));
  }

  // Runs what netpoll returned: each reader consumes its readiness and
  // issues its next read. Returns how many goroutines ran.
  size_t RunGoroutines(sim::Simulation& s, int64_t delay, int64_t start) {
    auto [list, delta] = s.Netpoll(delay);
    ++tally_.netpolls;
    if (list.empty() && delay > 0 && s.kernel().now() - start < delay) ++tally_.early_empty;
    for (poller::g* gp : list.gs()) {
      Conn* c = &*std::find_if(conns_.begin(), conns_.end(),
                               [gp](const Conn& k) { return k.gp == gp; });
      if (!c->pending) ++tally_.duplicates;
      c->pending = false;
      ++tally_.deliveries;
      s.runtime().netpollblockResume(c->pd, 'r');
      s.runtime().netpollblock(c->pd, 'r', c->gp);
    }
    return list.size();
  }

  // Waits for the next Go timer like findRunnable: netpoll until the
  // deadline, polling again (after the scheduler's own work) when netpoll
  // returns early with nothing to run.
  void Poller(sim::Simulation& s) {
    for (int i = 0; i < kPollerRounds; ++i) {
      const int64_t deadline = s.kernel().now() + kDelays[rng_->Below(kDelays.size())];
      while (true) {
        const int64_t start = s.kernel().now();
        if (RunGoroutines(s, deadline - start, start) > 0 || s.kernel().now() >= deadline) break;
        s.env().Sleep(kSchedulerLoopNs);
        if (s.kernel().now() >= deadline) break;
      }
    }
    // Drain: stay until every issued completion has been delivered.
    while (!device_done_ || std::any_of(conns_.begin(), conns_.end(),
                                        [](const Conn& c) { return c.pending; })) {
      RunGoroutines(s, 1'000'000, s.kernel().now());
    }
  }

  void Spinner(sim::Simulation& s) {
    for (int i = 0; i < kSpinnerRounds; ++i) {
      s.env().Sleep(Between(0, 2'000'000));
      RunGoroutines(s, 0, s.kernel().now());
    }
  }

  // An M whose goroutine moves a timer earlier: wakeNetPoller breaks the
  // poll, then the M looks for work itself, polling without blocking. Its
  // timer changes land on the 0.5 ms timer grid, where the poller's own
  // timer expires too.
  void Breaker(sim::Simulation& s) {
    for (int i = 0; i < kBreaks; ++i) {
      s.env().Sleep(Between(1, 10) * 500'000);
      s.runtime().netpollBreak();
      RunGoroutines(s, 0, s.kernel().now());
    }
  }

  void Device(sim::Simulation& s) {
    for (int i = 0; i < kCompletions; ++i) {
      s.env().Sleep(Between(100'000, 3'000'000));
      if (i % kForeignEvery == kForeignEvery - 1) {
        s.env().CompleteIo(foreign_fd_, foreign_ov_, 64, nt::STATUS_SUCCESS);
        continue;
      }
      Conn& c = conns_[rng_->Below(kConns)];
      if (c.pending) continue;  // that read has not been consumed yet
      c.pending = true;
      ++tally_.completions;
      s.env().CompleteIo(c.fd, c.op, 512, nt::STATUS_SUCCESS);
    }
    device_done_ = true;
  }

  std::unique_ptr<sim::Prng> rng_;
  std::array<Conn, kConns> conns_;
  uintptr_t foreign_fd_ = 0;
  uintptr_t foreign_ov_ = 0;
  bool device_done_ = false;
  IoTally tally_;
};

}  // namespace

std::unique_ptr<Workload> NewMixedWorkload() { return std::make_unique<Mixed>(); }

}  // namespace iocpsim::workloads
