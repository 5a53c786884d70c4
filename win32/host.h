// What real host this is, for trace headers: "Wine 8.0" where ntdll has
// Wine's wine_get_version, else "Windows <major>.<minor>.<build>" from
// RtlGetVersion (GetVersionEx lies to unmanifested programs).
#ifndef IOCPSIM_WIN32_HOST_H_
#define IOCPSIM_WIN32_HOST_H_

#include <string>

namespace iocpsim::win32 {

struct HostDescription {
  std::string os;
  std::string machine;
  bool wine = false;
};

HostDescription DescribeHost();

}  // namespace iocpsim::win32

#endif  // IOCPSIM_WIN32_HOST_H_
