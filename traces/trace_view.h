// A trace's events by reference: borrowed from a Trace, or parsed in bulk
// into an arena. A replay reads a trace once and throws it away; parsing
// every event into its own heap messages, and freeing them, took two thirds
// of a replay's time (bench BM_RecordReplay). On an arena the messages are
// carved from a few large blocks and freed together.
#ifndef IOCPSIM_TRACES_TRACE_VIEW_H_
#define IOCPSIM_TRACES_TRACE_VIEW_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "proto/trace.pb.h"
#include "traces/reader.h"

namespace iocpsim::traces {

class TraceView {
 public:
  // The Trace must outlive the view.
  explicit TraceView(const Trace& t);
  // Reads bytes as ParseTrace does, with the same errors.
  static absl::StatusOr<TraceView> Parse(std::string name, std::string bytes);

  const trace::Header& header() const { return *header_; }
  size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  const trace::Event& operator[](size_t i) const { return *events_[i]; }
  // The event's bytes as read, or empty for a Trace built in memory.
  absl::string_view EventBytes(size_t i) const;

  class Iterator {
   public:
    explicit Iterator(std::vector<const trace::Event*>::const_iterator it) : it_(it) {}
    const trace::Event& operator*() const { return **it_; }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return it_ != o.it_; }

   private:
    std::vector<const trace::Event*>::const_iterator it_;
  };
  Iterator begin() const { return Iterator(events_.begin()); }
  Iterator end() const { return Iterator(events_.end()); }

 private:
  TraceView() = default;

  const Trace* borrowed_ = nullptr;
  std::unique_ptr<google::protobuf::Arena> arena_;  // owns what Parse read
  const trace::Header* header_ = nullptr;
  std::vector<const trace::Event*> events_;
  std::string bytes_;
  std::vector<std::pair<uint32_t, uint32_t>> spans_;
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_TRACE_VIEW_H_
