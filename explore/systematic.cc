#include "explore/systematic.h"

#include "absl/strings/str_cat.h"
#include "explore/checkpoint.h"
#include "explore/dfs.h"
#include "poller/mutant.h"
#include "sim/workloads/workload.h"
#include "traces/writer.h"

namespace iocpsim::explore {
namespace {

// The checkpoint is written at least this often (schedules).
constexpr int64_t kCheckpointEvery = 1024;

// The deepest decision with an option left within the bound, at most
// `depth` deep; -1 when there is none.
int64_t Backtrack(const std::vector<DfsNode>& nodes, int bound, int64_t depth) {
  for (int64_t i = std::min<int64_t>(depth, nodes.size()) - 1; i >= 0; --i) {
    if (NextOption(nodes[i], bound) >= 0) return i;
  }
  return -1;
}

absl::Status SaveCheckpoint(const std::string& path, const Checkpoint& c) {
  if (path.empty()) return absl::OkStatus();
  std::string text = CheckpointText(c);
  if (text.size() > kMaxCheckpointBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        path, ": the frontier takes ", text.size(), " bytes, more than a checkpoint's ",
        kMaxCheckpointBytes));
  }
  return traces::FileSink::Write(path, text);
}

// Whether the search prunes with sleep sets: asked for, and no scripted race
// is forced (a race's holds take and withhold options by the state of the
// whole run, so steps that touch nothing in common still do not commute).
absl::StatusOr<bool> UsesSleepSets(const Target& t) {
  if (!t.sleep_sets || !t.force_races) return t.sleep_sets;
  absl::StatusOr<std::unique_ptr<workloads::Workload>> w =
      t.scenario ? workloads::MakeScenarioWorkload(*t.scenario) : workloads::MakeWorkload(t.workload);
  if (!w.ok()) return w.status();
  return !(*w)->scripts_races();
}

// After a run with sleep sets: marks the decisions whose subtree the run
// found cut (a decision below it that is, DfsNode::cut, or the run cut
// short), and counts the options of its new decisions that slept.
void NoteCuts(const std::vector<DfsNode>& nodes, bool cut_short, int bound, Checkpoint& at) {
  for (size_t k = at.next.size(); k < nodes.size(); ++k) {
    for (uint32_t o = 0; o < nodes[k].options; ++o) {
      at.pruned += nodes[k].Asleep(o) && nodes[k].WithinBound(o, bound);
    }
  }
  at.explored.resize(nodes.size());
  at.cut.resize(nodes.size(), false);
  bool below = cut_short;
  for (size_t k = nodes.size(); k-- > 0;) {
    if (below) at.cut[k] = true;
    below = below || nodes[k].cut;
  }
}

}  // namespace

std::string CampaignKey(const Target& t, const ExploreOptions& o) {
  const sim::HostSpec& h = t.host_flags;
  return absl::StrCat(
      t.workload, " seed=", o.first_seed, " bound=", t.preemption_bound, " shard=",
      o.shard_index, "/", o.shard_count, " mutant=", poller::MutantName(t.host.runtime.mutant),
      " poller=", t.poller ? poller::VariantName(*t.poller) : "scenario",
      " host=", h.profile.value_or(""), " tick_ns=", h.tick_ns.value_or(-1),
      " timer_latency_ns=", h.timer_latency_ns.value_or(-1),
      " wait_packets=", h.wait_packets ? (*h.wait_packets ? "1" : "0") : "-",
      " high_res_timers=", h.high_res_timers ? (*h.high_res_timers ? "1" : "0") : "-",
      " forced=", t.force_races ? 1 : 0);
}

absl::StatusOr<ExploreReport> ExploreSystematic(const Target& target,
                                                const ExploreOptions& options) {
  absl::StatusOr<bool> uses = UsesSleepSets(target);
  if (!uses.ok()) return uses.status();
  const bool sleep_sets = *uses;
  Checkpoint at;
  // Sleep sets search another tree than without them.
  at.campaign = absl::StrCat(CampaignKey(target, options), sleep_sets ? " sleep_sets=1" : "");
  if (!options.checkpoint.empty()) {
    absl::StatusOr<std::optional<Checkpoint>> loaded = LoadCheckpoint(options.checkpoint);
    if (!loaded.ok()) return loaded.status();
    if (*loaded) {
      if ((*loaded)->campaign != at.campaign) {
        return absl::InvalidArgumentError(absl::StrCat(
            options.checkpoint, ": a checkpoint of another search (", (*loaded)->campaign,
            "), not of this one (", at.campaign, ")"));
      }
      at = **loaded;
      if (sleep_sets && at.explored.size() != at.next.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            options.checkpoint, ": no sleep_sets line: the frontier's sleepers and cut "
            "subtrees are missing from a checkpoint of a search with sleep sets"));
      }
    }
  }
  const int bound = target.preemption_bound;
  std::optional<SleepSets> reduction;
  if (sleep_sets) reduction = SleepSets{bound, kSplitDepth, &at.explored};
  ExploreReport report = EmptyReport();
  auto stopped = [&] { return options.stop != nullptr && options.stop->load() != 0; };
  int64_t ran = 0;  // this session's schedules
  while (!at.complete && ran < options.schedules && !(report.interrupted = stopped())) {
    DfsStrategy dfs(at.next, reduction);
    absl::StatusOr<ScheduleOutcome> o = RunScheduleWith(target, options.first_seed, dfs);
    if (!o.ok()) return o.status();
    if (dfs.too_deep()) {
      return absl::InvalidArgumentError(absl::StrCat(
          target.workload, ": a schedule made more than ", kMaxDfsDecisions,
          " decisions, the limit of --strategy=systematic"));
    }
    if (dfs.diverged() || dfs.nodes().size() < at.next.size()) {
      return absl::InternalError(absl::StrCat(
          target.workload, ": replaying a schedule's leading decisions did not repeat it: the "
          "workload is not deterministic"));
    }
    const bool mine = at.cls % options.shard_count == options.shard_index;
    const bool counted = mine && !dfs.abandoned();
    if (dfs.abandoned()) {
      ++at.abandoned;  // a class's first run never is: no sleeper lies above kSplitDepth
    } else if (mine) {
      o->at = Position{at.cls, at.index};
      if (absl::Status st = Fold(target, options, *o, report); !st.ok()) return st;
      ++ran;
      ++at.schedules;
      ++at.index;
      if (options.progress) options.progress(ran, options.schedules, report.findings.size());
    } else {
      ++at.discovery;
    }
    // Another shard's class is left at once: only its top decisions matter.
    const std::vector<DfsNode>& nodes = dfs.nodes();
    if (reduction) {
      // An abandoned run still takes the step it stopped before, and ends
      // unfinished: its violations say nothing of the subtree.
      const bool cut_short = dfs.abandoned()
                                 ? dfs.abandoned_at_cut()
                                 : o->violation.has_value() || o->outcome == "step-limit";
      NoteCuts(nodes, cut_short, bound, at);
    }
    const int64_t i = Backtrack(nodes, bound, mine ? kMaxDfsDecisions : kSplitDepth);
    if (i < 0) {
      at.complete = true;
      at.next.clear();
      at.explored.clear();
      at.cut.clear();
    } else {
      if (reduction) {
        // The option done with sleeps in its siblings' branches if it
        // continued the previous actor, or its subtree was whole within the
        // bound (explore/dfs.h).
        const size_t k = static_cast<size_t>(i);
        at.explored.resize(k + 1);
        at.cut.resize(k + 1);
        const bool stayed = static_cast<int32_t>(nodes[k].picked) == nodes[k].stay;
        if ((stayed || !at.cut[k]) && i >= kSplitDepth) {
          Sleeper s = nodes[k].step;
          s.bounded = at.cut[k];
          at.explored[k].push_back(std::move(s));
        }
        at.cut[k] = false;
      }
      at.next.resize(static_cast<size_t>(i) + 1);
      for (int64_t k = 0; k < i; ++k) at.next[k] = nodes[k].picked;
      at.next[i] = static_cast<uint32_t>(NextOption(nodes[i], bound));
      if (i < kSplitDepth) {
        ++at.cls;
        at.index = 0;
      }
    }
    if (ran % kCheckpointEvery == 0 && counted) {
      if (absl::Status st = SaveCheckpoint(options.checkpoint, at); !st.ok()) return st;
    }
  }
  if (absl::Status st = SaveCheckpoint(options.checkpoint, at); !st.ok()) return st;
  SystematicSummary& s = report.systematic.emplace();
  s.preemption_bound = bound;
  s.complete = at.complete;
  s.schedules = at.schedules;
  s.classes = at.cls + 1;
  s.discovery = at.discovery;
  s.sleep_sets = sleep_sets;
  s.pruned = at.pruned;
  s.abandoned = at.abandoned;
  s.checkpoint = options.checkpoint;
  Finish(report);
  return report;
}

}  // namespace iocpsim::explore
