#include "sim/handle_table.h"

namespace iocpsim::sim {

uintptr HandleTable::Insert(Object* obj, uint32_t access) {
  size_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
    slots_[slot] = obj;
    access_[slot] = access;
  } else {
    slot = slots_.size();
    slots_.push_back(obj);
    access_.push_back(access);
  }
  ++obj->handles;
  return kBase + 4 * slot;
}

bool HandleTable::SlotOf(uintptr h, size_t* slot) const {
  if (h < kBase || (h - kBase) % 4 != 0) return false;
  *slot = (h - kBase) / 4;
  return *slot < slots_.size() && slots_[*slot] != nullptr;
}

Object* HandleTable::Lookup(uintptr h) const {
  size_t slot;
  return SlotOf(h, &slot) ? slots_[slot] : nullptr;
}

uint32_t HandleTable::Access(uintptr h) const {
  size_t slot;
  return SlotOf(h, &slot) ? access_[slot] : 0;
}

Object* HandleTable::Remove(uintptr h) {
  size_t slot;
  if (!SlotOf(h, &slot)) return nullptr;
  Object* obj = slots_[slot];
  slots_[slot] = nullptr;
  free_.push_back(slot);
  --obj->handles;
  return obj;
}

std::vector<std::pair<uintptr, Object*>> HandleTable::Live() const {
  std::vector<std::pair<uintptr, Object*>> out;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i] != nullptr) out.emplace_back(kBase + 4 * i, slots_[i]);
  }
  return out;
}

}  // namespace iocpsim::sim
