#include "traces/writer.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "traces/format.h"

namespace iocpsim::traces {

absl::StatusOr<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot create: ", std::strerror(errno)));
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return std::unique_ptr<FileSink>(new FileSink(path, f));
}

FileSink::~FileSink() { (void)Close(); }

void FileSink::Append(const std::string& bytes) {
  if (f_ != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) {
    failed_ = true;
  }
}

absl::Status FileSink::Close() {
  if (f_ == nullptr) return absl::OkStatus();
  failed_ |= std::fclose(f_) != 0;
  f_ = nullptr;
  if (failed_) return absl::DataLossError(absl::StrCat(path_, ": write failed"));
  return absl::OkStatus();
}

TraceWriter::TraceWriter(ByteSink& sink, const trace::Header& header) : sink_(sink) {
  sink_.Append(std::string(kMagic, kMagicSize));
  WriteMessage(header);
}

void TraceWriter::Write(const trace::Event& event) { WriteMessage(event); }

void TraceWriter::WriteMessage(const google::protobuf::Message& m) {
  buf_.clear();
  {
    google::protobuf::io::StringOutputStream raw(&buf_);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    out.WriteVarint32(static_cast<uint32_t>(m.ByteSizeLong()));
    m.SerializeWithCachedSizes(&out);
  }
  sink_.Append(buf_);
}

}  // namespace iocpsim::traces
