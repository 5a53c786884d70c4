// Writes a trace: the magic and header at creation, then one event at a
// time. Each event is whole in the output before the next begins, so a
// process that dies leaves a trace readable up to its last whole event.
#ifndef IOCPSIM_TRACES_WRITER_H_
#define IOCPSIM_TRACES_WRITER_H_

#include <cstdio>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/trace.pb.h"

namespace iocpsim::traces {

// Where trace bytes go.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Append(absl::string_view bytes) = 0;
};

class StringSink : public ByteSink {
 public:
  void Append(absl::string_view bytes) override { data_.append(bytes.data(), bytes.size()); }
  const std::string& data() const { return data_; }
  std::string Take() { return std::move(data_); }

 private:
  std::string data_;
};

// Buffered, into a temporary file beside the path; Close moves it onto the
// path whole. Destroyed without a Close (a run that failed), it removes the
// temporary file and leaves what was at the path untouched. A device, pipe
// or terminal is written in place (temp_ empty).
class FileSink : public ByteSink {
 public:
  static absl::StatusOr<std::unique_ptr<FileSink>> Open(const std::string& path);
  // Opens, appends `bytes` and closes: a small file written whole.
  static absl::Status Write(const std::string& path, const std::string& bytes);
  ~FileSink() override;
  void Append(absl::string_view bytes) override;
  absl::Status Close();

 private:
  FileSink(std::string path, std::string temp, FILE* f)
      : path_(std::move(path)), temp_(std::move(temp)), f_(f) {}
  std::string path_;
  std::string temp_;
  FILE* f_;
  int error_ = 0;  // errno of the first failed write or close; 0: none
};

class TraceWriter {
 public:
  TraceWriter(ByteSink& sink, const trace::Header& header);
  // An event already in the wire format, after its length prefix
  // (RecordedEvent::framed).
  void WriteFramed(absl::string_view framed) { sink_.Append(framed); }
  // An event built as a message (tests, hand-made traces).
  void Write(const trace::Event& event);

 private:
  void WriteMessage(const google::protobuf::Message& m);
  ByteSink& sink_;
  std::string buf_;
};

}  // namespace iocpsim::traces

#endif  // IOCPSIM_TRACES_WRITER_H_
