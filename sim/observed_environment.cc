#include "sim/observed_environment.h"

#include <utility>

namespace iocpsim::sim {

void ObservedEnvironment::Report(const char* name, std::vector<uint64_t> args, uint64_t result) {
  CallRecord rec;
  rec.name = name;
  rec.args = std::move(args);
  ReportCall(clock_, nt_, observer_, rec, result);
}

nt::HANDLE ObservedEnvironment::CreateFile() {
  nt::HANDLE h = inner_.CreateFile();
  Report("CreateFile", {}, h);
  return h;
}

bool ObservedEnvironment::CompleteIo(nt::HANDLE file, nt::uintptr overlapped, nt::DWORD bytes,
                                     nt::NTSTATUS status) {
  bool ok = inner_.CompleteIo(file, overlapped, bytes, status);
  Report("CompleteIo", {file, overlapped, bytes, status}, ok ? 1 : 0);
  return ok;
}

void ObservedEnvironment::Sleep(int64_t ns) {
  CallRecord start;
  start.name = "Sleep";
  start.args = {static_cast<uint64_t>(ns)};
  ReportCallStart(clock_, observer_, start);
  inner_.Sleep(ns);
  Report("Sleep", {static_cast<uint64_t>(ns)}, 0);
}

void ObservedEnvironment::Gopark() {
  inner_.Gopark();
  Report("Gopark", {}, 0);
}

bool ObservedEnvironment::QueueUserApc(int thread) {
  const bool ok = inner_.QueueUserApc(thread);
  Report("QueueUserApc", {static_cast<uint64_t>(thread)}, ok ? 1 : 0);
  return ok;
}

}  // namespace iocpsim::sim
