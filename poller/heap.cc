#include "poller/heap.h"

#include <utility>

namespace iocpsim::poller {
namespace {

// Where allocation starts: Go's heap arena hint on amd64 (0x00c0<<32), and a
// low address on 32-bit targets. Both fit in 48 bits, as tagptr requires.
constexpr uintptr kBase64 = 0x000000c000000000;
constexpr uintptr kBase32 = 0x02000000;
// Objects are spaced and aligned generously; the stride has no meaning
// beyond keeping addresses readable in traces.
constexpr uintptr kAlign = 0x40;

}  // namespace

Heap::Heap(Goarch goarch)
    : goarch_(goarch), next_(goarch.PtrSize == 4 ? kBase32 : kBase64) {}

uintptr Heap::overlappedSize() const {
  return goarch_.PtrSize == 4 ? 20 : 32;
}

uintptr Heap::alloc(uintptr size, std::vector<uint8_t> bytes) {
  uintptr addr = next_;
  uintptr span = (size + kAlign - 1) / kAlign * kAlign;
  next_ += span == 0 ? kAlign : span;
  bytes.resize(size, 0);
  regions_.emplace(addr, Region{std::move(bytes)});
  return addr;
}

std::vector<uint8_t> Heap::encodePollOperation(uintptr pd, int32_t mode) const {
  std::vector<uint8_t> b(overlappedSize() + goarch_.PtrSize + 4, 0);
  size_t off = overlappedSize();
  for (int i = 0; i < goarch_.PtrSize; ++i) b[off + i] = (pd >> (8 * i)) & 0xFF;
  off += goarch_.PtrSize;
  for (int i = 0; i < 4; ++i) {
    b[off + i] = (static_cast<uint32_t>(mode) >> (8 * i)) & 0xFF;
  }
  return b;
}

pollDesc* Heap::newPollDesc(uintptr fd) {
  absl::MutexLock lock(&mu_);
  pollDesc& pd = pollDescs_.emplace_back();
  pd.addr = alloc(0x100, {});
  pd.fd = fd;
  pollDescByAddr_[pd.addr] = &pd;
  return &pd;
}

g* Heap::newG(int64_t goid) {
  absl::MutexLock lock(&mu_);
  g& gp = gs_.emplace_back();
  gp.goid = goid;
  gp.addr = alloc(0x180, {});
  gByAddr_[gp.addr] = &gp;
  return &gp;
}

uintptr Heap::newPollOperation(const pollDesc* pd, int32_t mode) {
  std::vector<uint8_t> bytes = encodePollOperation(pd->addr, mode);
  uintptr size = bytes.size();
  absl::MutexLock lock(&mu_);
  return alloc(size, std::move(bytes));
}

uintptr Heap::newForeign(std::vector<uint8_t> trailer) {
  absl::MutexLock lock(&mu_);
  std::vector<uint8_t> bytes(overlappedSize(), 0);
  bytes.insert(bytes.end(), trailer.begin(), trailer.end());
  uintptr size = bytes.size();
  return alloc(size, std::move(bytes));
}

pollDesc* Heap::pollDescAt(uintptr addr) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = pollDescByAddr_.find(addr);
  return it == pollDescByAddr_.end() ? nullptr : it->second;
}

g* Heap::gAt(uintptr addr) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = gByAddr_.find(addr);
  return it == gByAddr_.end() ? nullptr : it->second;
}

g* Heap::gPointer(uintptr v) {
  if (v == 0) return nullptr;
  absl::MutexLock lock(&mu_);
  auto it = gByAddr_.find(v);
  if (it != gByAddr_.end()) return it->second;
  g& w = wild_[v];
  w.addr = v;
  w.wild = true;
  return &w;
}

int32_t Heap::parkedGoroutines() const {
  absl::ReaderMutexLock lock(&mu_);
  int32_t n = 0;
  for (const pollDesc& pd : pollDescs_) {
    n += gByAddr_.count(pd.rg.load()) + gByAddr_.count(pd.wg.load());
  }
  return n;
}

std::optional<uint64_t> Heap::load(uintptr addr, int width) const {
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return std::nullopt;
  --it;
  const uintptr start = it->first;
  const Region& r = it->second;
  if (addr - start > r.bytes.size() ||
      static_cast<uint64_t>(width) > r.bytes.size() - (addr - start)) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    v |= static_cast<uint64_t>(r.bytes[addr - start + i]) << (8 * i);
  }
  return v;
}

std::optional<pollOperation> Heap::loadPollOperation(uintptr ov) const {
  // Pointer arithmetic wraps at the target's width, as Go's does.
  const uintptr pdAt = goarch_.uintptr(ov + overlappedSize());
  absl::ReaderMutexLock lock(&mu_);
  std::optional<uint64_t> pd = load(pdAt, goarch_.PtrSize);
  std::optional<uint64_t> mode = load(goarch_.uintptr(pdAt + goarch_.PtrSize), 4);
  if (!pd || !mode) return std::nullopt;
  return pollOperation{*pd, static_cast<int32_t>(static_cast<uint32_t>(*mode))};
}

}  // namespace iocpsim::poller
