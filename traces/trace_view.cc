#include "traces/trace_view.h"

#include <algorithm>
#include <utility>

namespace iocpsim::traces {

TraceView::TraceView(const Trace& t) : borrowed_(&t), header_(&t.header) {
  events_.reserve(t.events.size());
  for (const trace::Event& e : t.events) events_.push_back(&e);
}

absl::StatusOr<TraceView> TraceView::Parse(std::string name, std::string bytes) {
  TraceView v;
  google::protobuf::ArenaOptions options;
  // About the size of the messages a trace's bytes become, in one block.
  options.start_block_size = std::max<size_t>(bytes.size() * 4, 4096);
  options.max_block_size = std::max<size_t>(options.start_block_size, 8 << 20);
  v.arena_ = std::make_unique<google::protobuf::Arena>(options);
  auto* header = google::protobuf::Arena::CreateMessage<trace::Header>(v.arena_.get());
  v.header_ = header;
  absl::Status st = ReadTrace(std::move(name), std::move(bytes), header, &v.spans_, &v.bytes_,
                              [&v]() -> trace::Event* {
                                auto* e = google::protobuf::Arena::CreateMessage<trace::Event>(
                                    v.arena_.get());
                                v.events_.push_back(e);
                                return e;
                              });
  if (!st.ok()) return st;
  return v;
}

absl::string_view TraceView::EventBytes(size_t i) const {
  if (borrowed_ != nullptr) return borrowed_->EventBytes(i);
  return absl::string_view(bytes_).substr(spans_[i].first, spans_[i].second);
}

}  // namespace iocpsim::traces
