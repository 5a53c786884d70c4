// The kernel objects the simulated kernel models. The kernel owns them for
// the whole run; handles and references only govern their logical life.
#ifndef IOCPSIM_SIM_OBJECTS_H_
#define IOCPSIM_SIM_OBJECTS_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "poller/nt_types.h"

namespace iocpsim::sim {

using nt::uintptr;

struct SimThread;

enum class ObjectType { kIoCompletion, kTimer, kWaitCompletionPacket, kFile };

struct Object {
  Object(ObjectType t, uint64_t object_id) : type(t), id(object_id) {}
  virtual ~Object() = default;
  const ObjectType type;
  const uint64_t id;  // creation order from 1: stable across runs
  int handles = 0;    // open handles
};

struct WaitCompletionPacket;

// An I/O completion packet as GetQueuedCompletionStatusEx returns it.
struct Packet {
  uintptr key = 0;
  uintptr overlapped = 0;
  uintptr status = 0;       // OVERLAPPED_ENTRY.Internal
  uint32_t information = 0; // dwNumberOfBytesTransferred
  WaitCompletionPacket* from = nullptr;  // the wait packet that queued it
};

struct IoCompletion : Object {
  explicit IoCompletion(uint64_t id) : Object(ObjectType::kIoCompletion, id) {}
  std::deque<Packet> queue;          // FIFO
  std::vector<SimThread*> waiters;   // back() waited most recently (LIFO)
  bool closed = false;               // its last handle is closed
  // How many threads associated with it may run at once [S36];
  // kUnlimited: no limit binds.
  static constexpr uint32_t kUnlimited = 0xFFFFFFFF;
  uint32_t concurrency = kUnlimited;
};

struct Timer : Object {
  Timer(uint64_t id, bool manual, bool high_res)
      : Object(ObjectType::kTimer, id), manual_reset(manual), high_resolution(high_res) {}
  const bool manual_reset;
  const bool high_resolution;
  bool signaled = false;
  bool armed = false;
  int64_t grid_at = 0;      // virtual ns, when armed: the grid point [S17]
  int64_t fire_at = 0;      // virtual ns, when armed: grid_at plus the latency [S46]
  int64_t period_ns = 0;    // 0: one-shot
  uint64_t generation = 0;  // bumped on every set/cancel: stale expiries
  std::deque<WaitCompletionPacket*> waits;  // associated wait packets, FIFO
};

struct WaitCompletionPacket : Object {
  enum class State {
    kIdle,      // never associated, cancelled, or picked up
    kWaiting,   // associated; the target has not signaled
    kInFlight,  // the target signaled; the packet is on its way to the port
    kQueued,    // in the port's queue
  };
  explicit WaitCompletionPacket(uint64_t id)
      : Object(ObjectType::kWaitCompletionPacket, id) {}
  State state = State::kIdle;
  IoCompletion* port = nullptr;
  Timer* target = nullptr;
  Packet packet;
};

// A file or socket handle: something that can be associated with a port.
struct File : Object {
  explicit File(uint64_t id) : Object(ObjectType::kFile, id) {}
  IoCompletion* port = nullptr;
  uintptr key = 0;
};

}  // namespace iocpsim::sim

#endif  // IOCPSIM_SIM_OBJECTS_H_
