#include "win32/host.h"

#include <windows.h>

#include "absl/strings/str_cat.h"

namespace iocpsim::win32 {

HostDescription DescribeHost() {
  HostDescription d;
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  using WineVersionFn = const char*(__cdecl*)();
  using RtlGetVersionFn = LONG(__stdcall*)(OSVERSIONINFOW*);
  auto wine = ntdll == nullptr ? nullptr
                               : reinterpret_cast<WineVersionFn>(reinterpret_cast<void*>(
                                     ::GetProcAddress(ntdll, "wine_get_version")));
  auto rtl = ntdll == nullptr ? nullptr
                              : reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(
                                    ::GetProcAddress(ntdll, "RtlGetVersion")));
  OSVERSIONINFOW v{};
  v.dwOSVersionInfoSize = sizeof(v);
  const bool have_version = rtl != nullptr && rtl(&v) == 0;
  if (wine != nullptr) {
    d.wine = true;
    d.os = absl::StrCat("Wine ", wine());
  } else if (have_version) {
    d.os = absl::StrCat("Windows ", v.dwMajorVersion, ".", v.dwMinorVersion, ".", v.dwBuildNumber);
  } else {
    d.os = "Windows (version unknown)";
  }
  SYSTEM_INFO si;
  ::GetNativeSystemInfo(&si);
  d.machine = absl::StrCat(si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64 ? "x64"
                           : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64
                               ? "arm64"
                               : "other",
                           ", ", si.dwNumberOfProcessors, " CPUs");
  return d;
}

}  // namespace iocpsim::win32
