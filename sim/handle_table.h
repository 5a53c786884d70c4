// A process handle table: handle values are multiples of 4 from a base, and
// a closed handle's slot is reused last-freed-first, as NT's handle table
// free list does. Unknown and closed values look up as nullptr.
#ifndef IOCPSIM_SIM_HANDLE_TABLE_H_
#define IOCPSIM_SIM_HANDLE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/objects.h"

namespace iocpsim::sim {

class HandleTable {
 public:
  static constexpr uintptr kBase = 0x100;
  static constexpr uint32_t kAllAccess = 0xFFFFFFFF;

  // A handle to obj granting `access` (an ACCESS_MASK; all rights by default).
  uintptr Insert(Object* obj, uint32_t access = kAllAccess);
  Object* Lookup(uintptr h) const;
  // The rights the open handle h grants (0 if h is not open).
  uint32_t Access(uintptr h) const;
  // Removes the handle; nullptr if it was not open.
  Object* Remove(uintptr h);
  // Open handles in increasing handle order.
  std::vector<std::pair<uintptr, Object*>> Live() const;

 private:
  bool SlotOf(uintptr h, size_t* slot) const;

  std::vector<Object*> slots_;
  std::vector<uint32_t> access_;  // by slot
  std::vector<size_t> free_;  // back() is reused first
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_HANDLE_TABLE_H_
