// A workload described by a scenario file (proto/scenario.proto): sockets
// with parked readers, Ms running their steps, events from the world
// outside, and scripted races forced by a RaceDirector.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sim/workloads/race_director.h"
#include "sim/workloads/readers.h"
#include "sim/workloads/scenario_host.h"
#include "sim/workloads/scenario_loader.h"
#include "sim/workloads/workload.h"

namespace iocpsim::workloads {
namespace {

class ScenarioWorkload : public Workload {
 public:
  explicit ScenarioWorkload(scenario::Scenario sc) : sc_(std::move(sc)) {}

  void Configure(sim::SimulationConfig& c) const override {
    const scenario::Host& h = sc_.host();
    c.runtime.gomaxprocs = sc_.gomaxprocs() > 0 ? sc_.gomaxprocs() : 4;
    c.kernel.ptr_size = sc_.ptr_size() > 0 ? sc_.ptr_size() : 8;
    if (!sc_.poller().empty()) c.runtime.variant = *poller::ParseVariant(sc_.poller());
    c.runtime.gopark_switch = sc_.gopark_switch();
    c.queues_apcs = std::any_of(sc_.event().begin(), sc_.event().end(),
                                [](const scenario::Event& e) { return e.has_apc(); });
    for (const scenario::Fault& f : sc_.fault()) {
      c.kernel.faults.push_back({f.call(), f.nth() > 0 ? f.nth() : 1, f.error()});
    }
    c.scheduler.preemption = h.has_preemption() ? h.preemption() : true;
  }

  sim::HostSpec host() const override { return HostSpecOf(sc_.host()); }
  bool scripts_races() const override { return sc_.race_size() > 0; }

  std::unique_ptr<sim::Strategy> Steer(std::unique_ptr<sim::Strategy> inner,
                                       bool force) override {
    auto d = std::make_unique<RaceDirector>(std::move(inner));
    d->set_forcing(force);
    director_ = d.get();
    return d;
  }

  absl::Status Setup(sim::Process& s, uint64_t seed) override;
  const IoTally& tally() const override { return tally_; }
  bool expect_fatal() const override {
    return sc_.expect().fatal() || !sc_.expect().fatal_contains().empty();
  }
  std::string expected_fatal_text() const override { return sc_.expect().fatal_contains(); }
  void Watch(GoroutineWatcher* w) override {
    readers_.Watch(w);
    watcher_ = w;
  }

  std::set<std::string> inapplicable_races() const override { return inapplicable_; }

  std::map<std::string, int> races() const override {
    std::map<std::string, int> out;
    for (const std::string& r : race_names_) out[r] = 0;
    if (director_ != nullptr) {
      for (const auto& [r, n] : director_->reached()) out[r] += n;
    }
    if (kernel_ != nullptr) {
      for (size_t i = 0; i < fault_names_.size(); ++i) out[fault_names_[i]] += kernel_->FaultsInjected(i);
    }
    return out;
  }

 private:
  void RunStep(sim::Process& s, const scenario::Step& st);
  // A failed open (pollOpen's errno) leaves the socket closed, as the net
  // package would report the error to the goroutine. It must fail exactly
  // when its association with Go's port failed (an injected fault).
  void OpenSocket(sim::Process& s, const std::string& name);
  // Faults injected on CreateIoCompletionPort on this thread, so far.
  int64_t AssociationFaultsHere(sim::Process& s) const;
  void AddRaces(sim::Simulation& s);
  // A race on the per-M timer's wait packet cannot happen on a host where Go
  // has no wait packet (Wine 8, before Windows 10 1803), nor with the lowres
  // poller. Judged by the host and variant, so a poller that fails to use
  // the packets it has leaves the race unforced.
  void NeedsWaitPackets(sim::Simulation& s, const std::string& race) {
    if (!s.HighResSleepApplies()) inapplicable_.insert(race);
  }
  bool BreakQueued(sim::Simulation& s) const;
  void AddFaults(sim::Simulation& s);

  scenario::Scenario sc_;
  RaceDirector* director_ = nullptr;
  Readers readers_;
  std::map<std::string, int> socket_index_;
  std::map<std::string, poller::M*> ms_;
  std::map<std::string, int> thread_of_;
  std::map<std::string, std::vector<nt::HANDLE>> gates_;  // label -> a port per waiting event
  std::vector<std::string> race_names_;
  // A fault is reported like a race: forced in a run when it was injected.
  std::vector<std::string> fault_names_;
  const sim::SimKernel* kernel_ = nullptr;
  std::set<std::string> inapplicable_;
  IoTally tally_;
  GoroutineWatcher* watcher_ = nullptr;
};

void ScenarioWorkload::RunStep(sim::Process& s, const scenario::Step& st) {
  switch (st.kind_case()) {
    case scenario::Step::kNetpoll:
      readers_.Poll(s, st.netpoll(), tally_);
      break;
    case scenario::Step::kPollUntil:
      readers_.PollUntil(s, st.poll_until(), tally_);
      break;
    case scenario::Step::kSleepNs:
      s.env().Sleep(st.sleep_ns());
      break;
    case scenario::Step::kNetpollBreak:
      s.runtime().netpollBreak();
      break;
    case scenario::Step::kOpenSocket:
      if (!readers_.open(socket_index_[st.open_socket()])) OpenSocket(s, st.open_socket());
      break;
    case scenario::Step::kCloseSocket:
      if (readers_.open(socket_index_[st.close_socket()])) {
        readers_.Close(s, socket_index_[st.close_socket()]);
      }
      break;
    case scenario::Step::kMisuse: {
      const int i = socket_index_[st.misuse().socket()];
      if (!readers_.open(i)) break;  // as close_socket: nothing to break
      using K = scenario::Misuse;
      const Readers::Misuse what = st.misuse().kind() == K::DOUBLE_WAIT
                                       ? Readers::Misuse::kDoubleWait
                                   : st.misuse().kind() == K::CLOSE_WITH_WAITER
                                       ? Readers::Misuse::kCloseWithWaiter
                                       : Readers::Misuse::kResumeUnwoken;
      readers_.Break(s, i, what, st.misuse().write() ? 'w' : 'r');
      break;
    }
    case scenario::Step::KIND_NOT_SET:
      break;
  }
}

int64_t ScenarioWorkload::AssociationFaultsHere(sim::Process& s) const {
  if (kernel_ == nullptr || s.simulation() == nullptr) return 0;  // a real kernel: none
  const sim::SimThread* current = s.simulation()->scheduler().current();
  const int me = current != nullptr ? current->id : 0;  // 0: set-up
  int64_t n = 0;
  for (size_t i = 0; i < kernel_->config().faults.size(); ++i) {
    if (kernel_->config().faults[i].call == "CreateIoCompletionPort" &&
        kernel_->FaultThread(i) == me) {
      n += kernel_->FaultsInjected(i);
    }
  }
  return n;
}

void ScenarioWorkload::OpenSocket(sim::Process& s, const std::string& name) {
  const int64_t before = AssociationFaultsHere(s);
  const bool opened = readers_.Open(s, socket_index_[name]).ok();
  if (!opened) ++tally_.open_failures;
  const bool failed_association = AssociationFaultsHere(s) > before;
  if (opened == failed_association && watcher_ != nullptr) {
    watcher_->Contradiction(s.now(),
                   opened ? absl::StrCat("socket \"", name, "\" opened though its association "
                                         "with Go's port failed (an injected fault): its "
                                         "goroutine waits for I/O that never reaches the port")
                          : absl::StrCat("socket \"", name, "\" failed to open though nothing "
                                         "failed: netpollopen reported an error"));
  }
}

bool ScenarioWorkload::BreakQueued(sim::Simulation& s) const {
  const sim::IoCompletion* port = s.kernel().PortAt(s.runtime().iocphandle);
  if (port == nullptr) return false;
  for (const sim::Packet& p : port->queue) {
    if (p.key == poller::kBreakKey) return true;
  }
  return false;
}

absl::Status ScenarioWorkload::Setup(sim::Process& s, uint64_t seed) {
  if (!s.Boot()) return absl::InternalError(s.fatal()->message);
  if (s.simulation() != nullptr) kernel_ = &s.simulation()->kernel();  // faults are counted there
  readers_.Add(sc_.socket_size());
  for (int i = 0; i < sc_.socket_size(); ++i) {
    if (sc_.socket(i).writer()) readers_.WantWriter(i);
    if (sc_.socket(i).lazy()) readers_.SetLazy(i);
  }
  for (int i = 0; i < sc_.socket_size(); ++i) socket_index_[sc_.socket(i).name()] = i;
  if (!s.SetUp([&] {
        for (const scenario::Socket& k : sc_.socket()) {
          if (!k.deferred()) OpenSocket(s, k.name());
        }
      })) {
    return absl::InternalError(s.fatal()->message);
  }
  // An event that waits for a labelled step blocks on a port of its own,
  // which the step's end posts to: a kernel-visible wait, so traces replay.
  for (const scenario::Event& e : sc_.event()) {
    if (e.when_case() == scenario::Event::kAfter) {
      gates_[e.after()].push_back(
          s.nt().CreateIoCompletionPort(s.runtime()._INVALID_HANDLE_VALUE, 0, 0, 1));
    }
  }
  for (const scenario::MSpec& spec : sc_.m()) {
    poller::M& m = s.SpawnM(spec.name(), [this, &s, &spec](poller::M&) {
      for (const scenario::Step& st : spec.step()) {
        for (int r = 0; r < std::max(1, st.repeat()); ++r) RunStep(s, st);
        for (nt::HANDLE gate : gates_[st.label()]) {
          s.nt().PostQueuedCompletionStatus(gate, 0, 0, 0);
        }
      }
    });
    ms_[spec.name()] = &m;
    // Threads are numbered from 1 in spawn order, and the Ms come first.
    const int thread = static_cast<int>(ms_.size());
    thread_of_[spec.name()] = thread;
  }
  // Races are forced by steering the simulator's scheduler; a real kernel
  // runs the scenario without them (races() reports none reached).
  if (s.simulation() != nullptr) {
    AddRaces(*s.simulation());
    AddFaults(*s.simulation());
  }
  std::map<std::string, size_t> gate_used;
  for (int i = 0; i < sc_.event_size(); ++i) {
    const scenario::Event& e = sc_.event(i);
    nt::HANDLE gate = 0;
    if (e.when_case() == scenario::Event::kAfter) gate = gates_[e.after()][gate_used[e.after()]++];
    s.SpawnThread(absl::StrCat("event", i), [this, &s, &e, gate] {
      if (gate != 0) {
        nt::OverlappedEntry entry;
        nt::ULONG n = 0;
        s.nt().GetQueuedCompletionStatusEx(gate, &entry, 1, &n, nt::INFINITE, 0);
      } else if (e.at_ns() > s.now()) {
        s.env().Sleep(e.at_ns() - s.now());
      }
      switch (e.what_case()) {
        case scenario::Event::kComplete:
          readers_.Complete(s, socket_index_[e.complete()], tally_);
          break;
        case scenario::Event::kCompleteWrite:
          readers_.Complete(s, socket_index_[e.complete_write()], tally_, 'w');
          break;
        case scenario::Event::kForeign: {
          poller::Runtime& rt = s.runtime();
          const nt::uintptr ov =
              e.foreign().overlapped() ? rt.heap().newForeign(
                                      std::vector<uint8_t>(12, e.foreign().zeroed() ? 0x00 : 0xEE)) : 0;
          s.nt().PostQueuedCompletionStatus(rt.iocphandle, 0, e.foreign().key(), ov);
          break;
        }
        case scenario::Event::kNetpollBreak:
          s.runtime().netpollBreak();
          break;
        case scenario::Event::kApc:
          s.env().QueueUserApc(thread_of_.at(e.apc()));
          break;
        case scenario::Event::WHAT_NOT_SET:
          break;
      }
    });
  }
  if (director_ != nullptr && s.simulation() != nullptr) {
    director_->Attach(&s.simulation()->scheduler());
  }
  return absl::OkStatus();
}

void ScenarioWorkload::AddFaults(sim::Simulation& s) {
  fault_names_.clear();
  for (const sim::InjectedFault& f : s.kernel().config().faults) {
    const std::string name = absl::StrCat("fault: ", f.call, " #", f.nth, " fails");
    fault_names_.push_back(name);
    // Go makes these calls only with the per-M wait packet (CreateWaitableTimerExW
    // past the first, which osinit's probe makes, creates minit's timers).
    const bool packet_call = f.call != "CreateIoCompletionPort" &&
                             f.call != "PostQueuedCompletionStatus" &&
                             f.call != "GetQueuedCompletionStatusEx" && f.call != "CloseHandle" &&
                             !(f.call == "CreateWaitableTimerExW" && f.nth == 1);
    if (packet_call) NeedsWaitPackets(s, name);
  }
}

void ScenarioWorkload::AddRaces(sim::Simulation& s) {
  // Threads a race needs are spawned whether or not the run is steered, so
  // a replay of recorded decisions sees the same threads.
  auto hold = [this](Hold h) {
    if (director_ != nullptr) director_->Add(std::move(h));
  };
  auto packet_of = [&s](poller::M* m) { return s.kernel().WaitPacketAt(m->waitIocpHandle); };
  using State = sim::WaitCompletionPacket::State;
  for (const scenario::Race& r : sc_.race()) {
    switch (r.kind_case()) {
      case scenario::Race::kCancelAnswers: {
        const auto& c = r.cancel_answers();
        const bool pending = c.status() == scenario::CancelAnswers::PENDING;
        const std::string name = absl::StrCat("cancel answers ", pending ? "STATUS_PENDING" : "STATUS_CANCELLED",
                                              " on ", c.m(), " #", std::max(1, c.nth()));
        poller::M* m = ms_[c.m()];
        hold(Hold{name, thread_of_[c.m()], "NtCancelWaitCompletionPacket",
                            std::max(1, c.nth()), [=] {
                              const sim::WaitCompletionPacket* w = packet_of(m);
                              return w != nullptr &&
                                     w->state == (pending ? State::kInFlight : State::kIdle);
                            }});
        race_names_.push_back(name);
        NeedsWaitPackets(s, name);
        break;
      }
      case scenario::Race::kTimerFiresBeforeAssociate: {
        const auto& t = r.timer_fires_before_associate();
        const std::string name = absl::StrCat("timer fires before associate on ", t.m(), " #",
                                              std::max(1, t.nth()));
        poller::M* m = ms_[t.m()];
        hold(Hold{name, thread_of_[t.m()], "NtAssociateWaitCompletionPacket",
                            std::max(1, t.nth()), [&s, m] {
                              const sim::Timer* timer = s.kernel().TimerAt(m->waitIocpTimer);
                              return timer != nullptr && timer->signaled;
                            }});
        race_names_.push_back(name);
        NeedsWaitPackets(s, name);
        break;
      }
      case scenario::Race::kTimerPacketTaken: {
        // Go lets one M block in netpoll at a time, so another M takes the
        // packet from the queue: the owner has stopped waiting (a break
        // woke it) when its timer fires. The taker's poll waits for that.
        const auto& t = r.timer_packet_taken();
        const std::string name = absl::StrCat(t.owner(), "'s timer packet taken by ", t.taker());
        poller::M* owner = ms_[t.owner()];
        hold(Hold{name, thread_of_[t.taker()], "GetQueuedCompletionStatusEx", 0,
                  [=] {
                    const sim::WaitCompletionPacket* w = packet_of(owner);
                    return w != nullptr && w->state == State::kQueued;
                  },
                  [=] {
                    const sim::WaitCompletionPacket* w = packet_of(owner);
                    return w != nullptr &&
                           (w->state == State::kWaiting || w->state == State::kInFlight ||
                            w->state == State::kQueued);
                  }});
        race_names_.push_back(name);
        NeedsWaitPackets(s, name);
        break;
      }
      case scenario::Race::kBreakAtTimerFire: {
        const std::string who = r.break_at_timer_fire().m();
        const std::string name = absl::StrCat("break posted as ", who, "'s timer fires");
        poller::M* m = ms_[who];
        const int collider = s.SpawnThread(absl::StrCat("collider:", who),
                                           [&s] { s.runtime().netpollBreak(); });
        hold(Hold{name, collider, "PostQueuedCompletionStatus", 1, [=] {
                              const sim::WaitCompletionPacket* w = packet_of(m);
                              return w != nullptr && w->state == State::kInFlight;
                            }});
        race_names_.push_back(name);
        NeedsWaitPackets(s, name);
        break;
      }
      case scenario::Race::kBreakConsumedByPoll: {
        const auto& b = r.break_consumed_by_poll();
        const std::string name =
            absl::StrCat("break consumed by ", b.poller(), "'s poll while ", b.blocked(), " blocks");
        const int poller_thread = thread_of_[b.poller()];
        const int blocked = thread_of_[b.blocked()];
        // While a break is queued the blocked M waits and the poller goes first.
        hold(Hold{"", blocked, "GetQueuedCompletionStatusEx", 0, [] { return false; },
                            [this, &s] { return BreakQueued(s); }});
        if (director_ == nullptr) break;
        auto gqcs_pending = [&s](int thread) {
          const char* p = s.scheduler().thread(thread).pending_call;
          return p != nullptr && std::string(p) == "GetQueuedCompletionStatusEx";
        };
        director_->Prefer(
            [this, &s, poller_thread, gqcs_pending] {
              return BreakQueued(s) && gqcs_pending(poller_thread) ? poller_thread : 0;
            },
            name, [blocked, gqcs_pending] { return gqcs_pending(blocked); });
        race_names_.push_back(name);
        break;
      }
      case scenario::Race::KIND_NOT_SET:
        break;
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Workload>> NewScenarioWorkload(const std::string& path) {
  absl::StatusOr<scenario::Scenario> sc = LoadScenario(path);
  if (!sc.ok()) return sc.status();
  return MakeScenarioWorkload(*sc);
}

std::unique_ptr<Workload> MakeScenarioWorkload(const scenario::Scenario& sc) {
  return std::make_unique<ScenarioWorkload>(sc);
}

}  // namespace iocpsim::workloads
