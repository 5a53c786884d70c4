// One conformance suite, two kernels: the kernel rules that a real kernel can
// be held to, written once against sim::Process and run on the simulated
// kernel under every host profile and, in the Windows build (under Wine in
// CI), on the real kernel. Each case checks its rule against the host's
// profile and returns what happened, step by step; on the real kernel that
// record must equal the simulator's under the profile the host implies, so
// real Wine and the `wine8` profile must agree on every case. A disagreement
// fails; nothing is skipped.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "poller/nt_types.h"
#include "sim/host_profiles.h"
#include "sim/process.h"
#include "sim/simulation.h"
#if defined(_WIN32)
#include "traces/check_real.h"
#include "win32/host.h"
#include "win32/real_process.h"
#endif

namespace iocpsim {
namespace {

using nt::DWORD;
using nt::HANDLE;
using nt::ULONG;

constexpr int64_t kMs = 1'000'000;

// A kernel under test: a fresh process on it, and the rules it follows.
struct Kernel {
  std::string name;
  sim::KernelConfig host;
  std::function<std::unique_ptr<sim::Process>()> make;
};

// What each thread of a case saw, in its own order, so that the record does
// not depend on how the threads interleaved.
class Record {
 public:
  void Add(int thread, std::string line) {
    absl::MutexLock lock(&mu_);
    if (lines_.size() <= static_cast<size_t>(thread)) lines_.resize(thread + 1);
    lines_[thread].push_back(std::move(line));
  }
  std::string Text() const {
    absl::MutexLock lock(&mu_);
    std::string out;
    for (size_t t = 0; t < lines_.size(); ++t) {
      for (const std::string& l : lines_[t]) absl::StrAppend(&out, "T", t, ": ", l, "\n");
    }
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::vector<std::string>> lines_;
};

// A case: sets up threads on the process (which the harness then runs),
// checks its rule against `host` and records what happened.
using Case = std::function<void(sim::Process& p, const sim::KernelConfig& host, Record& rec)>;

HANDLE NewPort(sim::Process& p) {
  return p.nt().CreateIoCompletionPort(~uint64_t{0}, 0, 0, 0xFFFFFFFF);
}

// A handle value that names nothing: a port's, once closed.
HANDLE ClosedHandle(sim::Process& p) {
  const HANDLE h = NewPort(p);
  p.nt().CloseHandle(h);
  return h;
}

std::string Dequeue(sim::Process& p, HANDLE port, ULONG count, DWORD ms,
                    nt::BOOL alertable = nt::FALSE) {
  nt::OverlappedEntry e[8] = {};
  ULONG removed = 99;
  const nt::BOOL ok = p.nt().GetQueuedCompletionStatusEx(port, e, count, &removed, ms, alertable);
  if (!ok) return absl::StrCat("FALSE error ", p.nt().GetLastError(), " removed ", removed);
  std::string out = absl::StrCat("TRUE removed ", removed);
  for (ULONG i = 0; i < removed && i < 8; ++i) {
    absl::StrAppend(&out, " {key ", absl::Hex(e[i].lpCompletionKey), " ov ",
                    absl::Hex(e[i].lpOverlapped), " status ", absl::Hex(e[i].Internal), " bytes ",
                    e[i].dwNumberOfBytesTransferred, "}");
  }
  return out;
}

std::string Timeout(const sim::KernelConfig& host) {
  return absl::StrCat("FALSE error ", nt::WAIT_TIMEOUT, " removed ", host.removed_on_timeout);
}

// --- The cases ---

// S3, S1: a port is created; closing a handle twice fails the second time.
void PortLifetime(sim::Process& p, const sim::KernelConfig&, Record& rec) {
  p.SpawnThread("t", [&p, &rec] {
    const HANDLE port = NewPort(p);
    EXPECT_NE(port, 0u);
    rec.Add(1, absl::StrCat("close ", p.nt().CloseHandle(port)));
    const nt::BOOL again = p.nt().CloseHandle(port);
    EXPECT_FALSE(again);
    EXPECT_EQ(p.nt().GetLastError(), nt::ERROR_INVALID_HANDLE);
    rec.Add(1, absl::StrCat("close again ", again, " error ", p.nt().GetLastError()));
  });
}

// S6, S7, S11/S40: posted packets come out FIFO, at most ulCount at a time;
// an empty port times out at once with the host's removed count.
void PostedPacketsFifo(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const HANDLE port = NewPort(p);
    for (uint64_t k = 1; k <= 3; ++k) {
      EXPECT_TRUE(p.nt().PostQueuedCompletionStatus(port, 10 * k, k, 0x100 * k));
    }
    const std::string two = Dequeue(p, port, 2, 0);
    EXPECT_EQ(two, "TRUE removed 2 {key 1 ov 100 status 0 bytes 10} {key 2 ov 200 status 0 bytes 20}");
    rec.Add(1, two);
    rec.Add(1, Dequeue(p, port, 8, 0));
    const std::string empty = Dequeue(p, port, 8, 0);
    EXPECT_EQ(empty, Timeout(host));
    rec.Add(1, empty);
    p.nt().CloseHandle(port);
  });
}

// S2, S8/S43: calls on a handle that names nothing fail with
// ERROR_INVALID_HANDLE; asking for no entries with ERROR_INVALID_PARAMETER
// (Wine returns TRUE).
void BadArguments(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const HANDLE gone = ClosedHandle(p);
    const std::string wait = Dequeue(p, gone, 1, 0);
    EXPECT_EQ(wait.substr(0, 14), "FALSE error 6 ");
    rec.Add(1, absl::StrCat("dequeue on a closed handle: ", wait.substr(0, 13)));
    EXPECT_FALSE(p.nt().PostQueuedCompletionStatus(gone, 0, 1, 0));
    rec.Add(1, absl::StrCat("post on a closed handle: error ", p.nt().GetLastError()));
    const int64_t due = -10 * kMs / 100;
    EXPECT_FALSE(p.nt().SetWaitableTimer(gone, &due, 0, 0, 0, 0));
    rec.Add(1, absl::StrCat("timer on a closed handle: error ", p.nt().GetLastError()));
    const HANDLE port = NewPort(p);
    const std::string none = Dequeue(p, port, 0, 0);
    // S8; S43: Wine takes nothing and reports one.
    EXPECT_EQ(none.substr(0, 14), host.zero_count_succeeds ? "TRUE removed 1" : "FALSE error 87");
    rec.Add(1, absl::StrCat("no entries: ", none.substr(0, 14)));
    p.nt().CloseHandle(port);
  });
}

// S10/S41, S11/S40: a timed wait on an empty port ends by timeout, not before
// the wait less one tick of the host's clock.
void TimedWaitTimesOut(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const HANDLE port = NewPort(p);
    const int64_t start = p.now();
    const std::string r = Dequeue(p, port, 1, 20);
    const int64_t waited = p.now() - start;
    EXPECT_EQ(r, Timeout(host));
    EXPECT_GE(waited, 20 * kMs - host.tick_ns);
    rec.Add(1, r);
    p.nt().CloseHandle(port);
  });
}

// S4, S5, S24: I/O on a handle associated with a port queues a packet with
// the association's key, the operation's OVERLAPPED, its byte count and
// status; a second association fails with ERROR_INVALID_PARAMETER.
void IoCompletesWithTheAssociationKey(sim::Process& p, const sim::KernelConfig&, Record& rec) {
  p.SpawnThread("t", [&p, &rec] {
    const HANDLE port = NewPort(p);
    const HANDLE other = NewPort(p);
    const HANDLE file = p.env().CreateFile();
    ASSERT_NE(file, 0u);
    EXPECT_EQ(p.nt().CreateIoCompletionPort(file, port, 0xC0DE, 0), port);
    const HANDLE second = p.nt().CreateIoCompletionPort(file, other, 0xBAD, 0);
    rec.Add(1, absl::StrCat("second association ", second == 0 ? "fails" : "succeeds", " error ",
                            second == 0 ? p.nt().GetLastError() : 0));
    EXPECT_EQ(second, 0u);
    EXPECT_TRUE(p.env().CompleteIo(file, 0x1000, 16, nt::STATUS_SUCCESS));
    EXPECT_TRUE(p.env().CompleteIo(file, 0x2000, 4, nt::STATUS_CANCELLED));
    const std::string one = Dequeue(p, port, 1, 1000);
    EXPECT_EQ(one, "TRUE removed 1 {key c0de ov 1000 status 0 bytes 16}");
    rec.Add(1, one);
    const std::string two = Dequeue(p, port, 1, 1000);
    EXPECT_EQ(two.substr(0, 45), "TRUE removed 1 {key c0de ov 2000 status c0000");
    rec.Add(1, two.substr(0, 53));  // the cancelled read's byte count is the host's
    p.nt().CloseHandle(file);
    p.nt().CloseHandle(other);
    p.nt().CloseHandle(port);
  });
}

// S9: a post wakes a thread blocked with an INFINITE wait.
void PostWakesAnInfiniteWait(sim::Process& p, const sim::KernelConfig&, Record& rec) {
  const HANDLE port = NewPort(p);
  p.SpawnThread("waiter", [&p, &rec, port] { rec.Add(1, Dequeue(p, port, 1, nt::INFINITE)); });
  p.SpawnThread("poster", [&p, &rec, port] {
    p.env().Sleep(30 * kMs);
    rec.Add(2, absl::StrCat("post ", p.nt().PostQueuedCompletionStatus(port, 1, 7, 0)));
  });
}

// S9/S38: two blocked threads; the first packet goes to the most recent
// waiter on Windows, to the first on Wine. On a real kernel the order rests
// on the OS running each thread within its margin: the late waiter 50 ms
// after the early one, the post 250 ms after that (CI is a busy machine).
void WaiterOrder(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  const HANDLE port = NewPort(p);
  const bool fifo = host.waiter_order == sim::WaiterOrder::kFifo;
  auto waiter = [&p, &rec, port, fifo](int self, int64_t delay) {
    return [&p, &rec, port, fifo, self, delay] {
      p.env().Sleep(delay);
      const std::string r = Dequeue(p, port, 1, 2000);
      // Key 1 goes to the early waiter (1) first-in-first-out, else to the
      // late one (2).
      const bool gets_first = (self == 1) == fifo;
      EXPECT_EQ(r, absl::StrCat("TRUE removed 1 {key ", gets_first ? 1 : 2,
                                " ov 0 status 0 bytes 0}"));
      rec.Add(self, r);
    };
  };
  p.SpawnThread("early", waiter(1, 0));
  p.SpawnThread("late", waiter(2, 50 * kMs));
  p.SpawnThread("poster", [&p, &rec, port] {
    p.env().Sleep(300 * kMs);  // both wait by now
    p.nt().PostQueuedCompletionStatus(port, 0, 1, 0);
    p.env().Sleep(30 * kMs);
    p.nt().PostQueuedCompletionStatus(port, 0, 2, 0);
    rec.Add(3, "posted 1 then 2");
  });
}

// S12/S39: closing the port while a thread waits on it: Windows abandons
// the wait; Wine lets it run to its timeout.
void CloseWhileWaiting(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  const HANDLE port = NewPort(p);
  p.SpawnThread("waiter", [&p, &host, &rec, port] {
    const std::string r = Dequeue(p, port, 1, 300);
    const std::string want =
        host.close_abandons_waiters
            ? absl::StrCat("FALSE error ", nt::ERROR_ABANDONED_WAIT_0, " removed 0")
            : Timeout(host);
    EXPECT_EQ(r, want);
    rec.Add(1, r);
  });
  p.SpawnThread("closer", [&p, &rec, port] {
    p.env().Sleep(50 * kMs);
    rec.Add(2, absl::StrCat("close ", p.nt().CloseHandle(port)));
  });
}

// S13, S28: what the host offers Go's start-up: high-resolution timers and
// ntdll's wait completion packet functions.
void OptionalFeatures(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const HANDLE t = p.nt().CreateWaitableTimerExW(
        0, 0, nt::CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
        nt::SYNCHRONIZE | nt::TIMER_QUERY_STATE | nt::TIMER_MODIFY_STATE);
    EXPECT_EQ(t != 0, host.high_resolution_timers);
    rec.Add(1, absl::StrCat("high-resolution timer ", t != 0 ? "created" : "refused"));
    if (t != 0) p.nt().CloseHandle(t);
    for (nt::OptionalProc f : {nt::OptionalProc::kNtCreateWaitCompletionPacket,
                               nt::OptionalProc::kNtAssociateWaitCompletionPacket,
                               nt::OptionalProc::kNtCancelWaitCompletionPacket}) {
      rec.Add(1, absl::StrCat("wait packet function ", static_cast<int>(f), ": ",
                              p.nt().HaveOptionalProc(f) ? "present" : "absent"));
    }
    EXPECT_EQ(p.nt().HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket),
              host.have_NtCreateWaitCompletionPacket);
  });
}

// S18-S27: where the host has wait packets, one associated with a timer
// queues its packet when the timer expires.
void WaitPacketCarriesTimerExpiry(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    if (!host.have_NtCreateWaitCompletionPacket) {
      EXPECT_FALSE(p.nt().HaveOptionalProc(nt::OptionalProc::kNtCreateWaitCompletionPacket));
      rec.Add(1, "no wait packets");
      return;
    }
    const HANDLE port = NewPort(p);
    const HANDLE timer = p.nt().CreateWaitableTimerExW(0, 0, 0, nt::GENERIC_ALL);
    HANDLE packet = 0;
    EXPECT_EQ(p.nt().NtCreateWaitCompletionPacket(&packet, nt::GENERIC_ALL, 0), nt::STATUS_SUCCESS);
    const int64_t due = -20 * kMs / 100;
    EXPECT_TRUE(p.nt().SetWaitableTimer(timer, &due, 0, 0, 0, 0));
    nt::BOOLEAN signaled = 9;
    rec.Add(1, absl::StrCat("associate ", absl::Hex(p.nt().NtAssociateWaitCompletionPacket(
                                              packet, port, timer, 0x3, 0, 0, 0, &signaled)),
                            " signaled ", signaled));
    rec.Add(1, Dequeue(p, port, 1, 2000));
    rec.Add(1, absl::StrCat("cancel after delivery ",
                            absl::Hex(p.nt().NtCancelWaitCompletionPacket(packet, 1))));
    p.nt().CloseHandle(packet);
    p.nt().CloseHandle(timer);
    p.nt().CloseHandle(port);
  });
}

// S1, S2, S13/S44: handles of the wrong kind and NULL fail; a timer is
// created with the flags Windows documents and refused with others (Wine
// ignores them).
void HandleKindsAndTimerFlags(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const HANDLE timer = p.nt().CreateWaitableTimerExW(0, 0, 0, nt::GENERIC_ALL);
    EXPECT_NE(timer, 0u);
    const nt::BOOL post = p.nt().PostQueuedCompletionStatus(timer, 0, 1, 0);
    rec.Add(1, absl::StrCat("post to a timer: ", post, " error ", post ? 0 : p.nt().GetLastError()));
    rec.Add(1, absl::StrCat("dequeue from a timer: ", Dequeue(p, timer, 1, 0).substr(0, 13)));
    const nt::BOOL null_close = p.nt().CloseHandle(0);
    EXPECT_FALSE(null_close);
    rec.Add(1, absl::StrCat("close NULL: ", null_close, " error ", p.nt().GetLastError()));
    const HANDLE manual = p.nt().CreateWaitableTimerExW(
        0, 0, nt::CREATE_WAITABLE_TIMER_MANUAL_RESET, nt::GENERIC_ALL);
    rec.Add(1, absl::StrCat("manual-reset timer ", manual != 0 ? "created" : "refused"));
    const HANDLE odd = p.nt().CreateWaitableTimerExW(0, 0, 0x8, nt::GENERIC_ALL);
    EXPECT_EQ(odd != 0, host.unknown_timer_flags_ignored);  // S13; S44
    rec.Add(1, absl::StrCat("timer with flag 0x8 ", odd != 0 ? "created" : "refused", " error ",
                            odd != 0 ? 0 : p.nt().GetLastError()));
    for (HANDLE h : {timer, manual, odd}) {
      if (h != 0) p.nt().CloseHandle(h);
    }
  });
}

// S45: a timer handle grants the rights it was created with: setting the
// timer needs TIMER_MODIFY_STATE; Go asks for SYNCHRONIZE, TIMER_QUERY_STATE
// and TIMER_MODIFY_STATE (createHighResTimer).
void TimerAccessRights(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &rec] {
    const int64_t due = -10'000;  // 1 ms from now, relative
    for (nt::ACCESS_MASK access : {nt::SYNCHRONIZE | nt::TIMER_QUERY_STATE,
                                   nt::SYNCHRONIZE | nt::TIMER_MODIFY_STATE}) {
      const HANDLE timer = p.nt().CreateWaitableTimerExW(0, 0, 0, access);
      EXPECT_NE(timer, 0u);
      const nt::BOOL set = p.nt().SetWaitableTimer(timer, &due, 0, 0, 0, 0);
      rec.Add(1, absl::StrFormat("set with access %#x: %d error %u", access, set,
                                 set ? 0 : p.nt().GetLastError()));
      p.nt().CloseHandle(timer);
    }
  });
}

// S48: SetWaitableTimer with fResume TRUE succeeds (a wake timer); a host
// that ignores the flag says so with ERROR_TIMER_RESUME_IGNORED, replacing
// the error left by the failed close before it.
void WakeTimers(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  p.SpawnThread("t", [&p, &host, &rec] {
    const int64_t due = -100'000'000;  // 10 s from now, relative: closed before it fires
    const HANDLE timer = p.nt().CreateWaitableTimerExW(0, 0, 0, nt::GENERIC_ALL);
    EXPECT_NE(timer, 0u);
    EXPECT_FALSE(p.nt().CloseHandle(0));  // leaves ERROR_INVALID_HANDLE
    const nt::BOOL set = p.nt().SetWaitableTimer(timer, &due, 0, 0, 0, nt::TRUE);
    EXPECT_TRUE(set);
    const DWORD error = p.nt().GetLastError();
    if (host.wake_timers_ignored) {
      EXPECT_EQ(error, nt::ERROR_TIMER_RESUME_IGNORED);
    }
    rec.Add(1, absl::StrCat("set with fResume: ", set, host.wake_timers_ignored
                                                          ? absl::StrCat(" error ", error)
                                                          : ""));
    p.nt().CloseHandle(timer);
  });
}

// S35: a user-mode APC leaves a non-alertable wait going to its timeout and
// ends the thread's next alertable one at once with WAIT_IO_COMPLETION
// (zero timeout or INFINITE, queued before or during the wait); queueing
// one to a thread that has ended fails with ERROR_GEN_FAILURE. On a port
// the thread has not used yet, its APCs (all of them) go before a queued
// entry on Windows, after it on Wine 8. Each step waits for the one before.
void UserApcs(sim::Process& p, const sim::KernelConfig& host, Record& rec) {
  const HANDLE port = NewPort(p);
  auto stage = std::make_shared<std::atomic<int>>(0);
  auto await = [&p, stage](int s) {
    while (stage->load() < s) p.env().Sleep(kMs);
  };
  auto queued = [&p](int thread) {
    const bool ok = p.env().QueueUserApc(thread);
    return absl::StrCat("apc to T", thread, ": ", ok, " error ", ok ? 0 : p.nt().GetLastError());
  };
  p.SpawnThread("waiter", [&p, &rec, port, stage, await] {
    await(1);  // an APC is queued
    rec.Add(1, Dequeue(p, port, 1, 100));
    rec.Add(1, Dequeue(p, port, 1, 0, nt::TRUE));
    stage->store(2);
    rec.Add(1, Dequeue(p, port, 1, nt::INFINITE, nt::TRUE));
  });
  p.SpawnThread("short", [] {});
  p.SpawnThread("apc", [&p, &rec, stage, await, queued] {
    rec.Add(3, queued(1));
    stage->store(1);
    await(2);
    p.env().Sleep(20 * kMs);  // most likely inside the INFINITE wait by now
    rec.Add(3, queued(1));
    // "short" has ended; an OS thread ends a little after its body, so a
    // real kernel may take an APC for it a while longer.
    std::string ended;
    for (int i = 0; i < 100; ++i) {
      p.env().Sleep(10 * kMs);
      ended = queued(2);
      if (ended != "apc to T2: 1 error 0") break;
    }
    EXPECT_EQ(ended, absl::StrCat("apc to T2: 0 error ", nt::ERROR_GEN_FAILURE));
    rec.Add(3, ended);
  });
  p.SpawnThread("fresh", [&p, &host, &rec, queued] {
    const HANDLE own = NewPort(p);
    rec.Add(4, queued(4));  // to itself, twice
    rec.Add(4, queued(4));
    p.nt().PostQueuedCompletionStatus(own, 0, 0x77, 0);
    const std::string first = Dequeue(p, own, 1, 0, nt::TRUE);
    EXPECT_EQ(first.substr(0, 16), host.apcs_after_entries ? "TRUE removed 1 {" : "FALSE error 192 ");
    rec.Add(4, first);
    rec.Add(4, Dequeue(p, own, 1, 0, nt::TRUE));
    p.nt().CloseHandle(own);
  });
}

const std::vector<std::pair<const char*, Case>>& Cases() {
  static const auto* cases = new std::vector<std::pair<const char*, Case>>{
      {"PortLifetime", PortLifetime},
      {"PostedPacketsFifo", PostedPacketsFifo},
      {"BadArguments", BadArguments},
      {"TimedWaitTimesOut", TimedWaitTimesOut},
      {"IoCompletesWithTheAssociationKey", IoCompletesWithTheAssociationKey},
      {"PostWakesAnInfiniteWait", PostWakesAnInfiniteWait},
      {"WaiterOrder", WaiterOrder},
      {"CloseWhileWaiting", CloseWhileWaiting},
      {"OptionalFeatures", OptionalFeatures},
      {"WaitPacketCarriesTimerExpiry", WaitPacketCarriesTimerExpiry},
      {"HandleKindsAndTimerFlags", HandleKindsAndTimerFlags},
      {"TimerAccessRights", TimerAccessRights},
      {"UserApcs", UserApcs},
      {"WakeTimers", WakeTimers},
  };
  return *cases;
}

Kernel Simulated(const std::string& profile) {
  absl::StatusOr<sim::KernelConfig> host = sim::HostProfileConfig(profile);
  EXPECT_TRUE(host.ok()) << host.status();
  return Kernel{"sim:" + profile, *host, [host = *host] {
                  sim::SimulationConfig c;
                  c.kernel = host;
                  return std::make_unique<sim::Simulation>(c);
                }};
}

std::string RunCase(const Kernel& k, const Case& c) {
  std::unique_ptr<sim::Process> p = k.make();
  Record rec;
  c(*p, k.host, rec);
  const sim::RunResult r = p->Run();
  EXPECT_EQ(r.outcome, sim::RunResult::Outcome::kCompleted) << r.stop_reason;
  return rec.Text();
}

class Conformance : public ::testing::TestWithParam<size_t> {};

// Every case under every host profile of the simulator.
TEST_P(Conformance, HoldsInTheSimulatorUnderEveryHostProfile) {
  const auto& [name, c] = Cases()[GetParam()];
  for (const sim::HostProfile& profile : sim::HostProfiles()) {
    SCOPED_TRACE(profile.name);
    RunCase(Simulated(profile.name), c);
  }
}

#if defined(_WIN32)
// The real kernel, and the simulator under the profile this host implies:
// each holds the rule and both saw the same.
TEST_P(Conformance, TheRealKernelAgreesWithItsProfile) {
  const auto& [name, c] = Cases()[GetParam()];
  trace::RealHost host;
  host.set_os(win32::DescribeHost().os);
  const Kernel model = Simulated(traces::ProfileOfRealHost(host));
  const Kernel real{"real:" + host.os(), model.host, [] {
                      win32::RealProcessConfig config;
                      config.time_limit_ns = 10'000'000'000;
                      return std::make_unique<win32::RealProcess>(config);
                    }};
  EXPECT_EQ(RunCase(real, c), RunCase(model, c)) << "the real kernel (" << host.os()
                                         << ", left) and " << model.name << " (right) disagree";
}
#endif

INSTANTIATE_TEST_SUITE_P(Rules, Conformance, ::testing::Range<size_t>(0, Cases().size()),
                         [](const ::testing::TestParamInfo<size_t>& i) {
                           return std::string(Cases()[i.param].first);
                         });

}  // namespace
}  // namespace iocpsim
