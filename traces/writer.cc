#include "traces/writer.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "files/output.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "traces/format.h"

namespace iocpsim::traces {

absl::StatusOr<std::unique_ptr<FileSink>> FileSink::Open(const std::string& path) {
  std::string temp = files::WritesInPlace(path) ? "" : files::TempPathFor(path);
  FILE* f = std::fopen(temp.empty() ? path.c_str() : temp.c_str(), "wb");
  if (f == nullptr) {
    return absl::UnavailableError(absl::StrCat(path, ": cannot create: ", std::strerror(errno)));
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  return std::unique_ptr<FileSink>(new FileSink(path, std::move(temp), f));
}

absl::Status FileSink::Write(const std::string& path, const std::string& bytes) {
  absl::StatusOr<std::unique_ptr<FileSink>> f = Open(path);
  if (!f.ok()) return f.status();
  (*f)->Append(bytes);
  return (*f)->Close();
}

FileSink::~FileSink() {
  if (f_ == nullptr) return;
  std::fclose(f_);
  if (!temp_.empty()) std::remove(temp_.c_str());
}

void FileSink::Append(absl::string_view bytes) {
  if (f_ != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size() &&
      error_ == 0) {
    error_ = errno != 0 ? errno : EIO;
  }
}

absl::Status FileSink::Close() {
  if (f_ == nullptr) return absl::OkStatus();
  if (std::fclose(f_) != 0 && error_ == 0) error_ = errno != 0 ? errno : EIO;
  f_ = nullptr;
  if (error_ != 0) {
    if (!temp_.empty()) std::remove(temp_.c_str());
    return absl::DataLossError(absl::StrCat(path_, ": write failed: ", std::strerror(error_)));
  }
  return temp_.empty() ? absl::OkStatus() : files::CommitTemp(temp_, path_);
}

TraceWriter::TraceWriter(ByteSink& sink, const trace::Header& header) : sink_(sink) {
  sink_.Append(absl::string_view(kMagic, kMagicSize));
  WriteMessage(header);
}

void TraceWriter::Write(const trace::Event& event) { WriteMessage(event); }

void TraceWriter::WriteMessage(const google::protobuf::Message& m) {
  // The length prefix and the message straight into one buffer. Without
  // map fields (proto/trace.proto has none) protobuf's serialization is
  // deterministic, so the bytes are those of a deterministic stream.
  const size_t size = m.ByteSizeLong();
  const size_t prefix =
      google::protobuf::io::CodedOutputStream::VarintSize32(static_cast<uint32_t>(size));
  buf_.resize(prefix + size);
  auto* p = reinterpret_cast<uint8_t*>(&buf_[0]);
  p = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(size), p);
  m.SerializeWithCachedSizesToArray(p);
  sink_.Append(buf_);
}

}  // namespace iocpsim::traces
