// packNetpollKey / unpackNetpollSource / pollOperationFromOverlappedEntry in
// both layouts: the 64-bit tagged pointer and the 32-bit shifted pointer.
#include <optional>

#include "gtest/gtest.h"
#include "poller/runtime.h"
#include "poller/tagptr.h"
#include "sim/simulation.h"
#include "tests/sim_fixture.h"

namespace iocpsim {
namespace {

using poller::Runtime;
using testing::ThreadsFirst;

sim::SimulationConfig WithPtrSize(int ptr_size) {
  sim::SimulationConfig c;
  c.kernel.ptr_size = ptr_size;
  return c;
}

TEST(TaggedPointer, RoundTripsAddressesAndSignExtends) {
  for (uint64_t p : {uint64_t{0}, uint64_t{0x000000c000012340}, uint64_t{0x00007ffffffffff8},
                     uint64_t{0xffff800000001000}}) {
    for (uint64_t tag : {uint64_t{0}, uint64_t{1}, uint64_t{3}, uint64_t{0x7ffff}}) {
      poller::taggedPointer t = poller::taggedPointerPack(p, tag);
      EXPECT_EQ(t.pointer(), p) << std::hex << p;
      EXPECT_EQ(t.tag(), tag);
    }
  }
  // Tag bits beyond the 19 available are discarded.
  EXPECT_EQ(poller::taggedPointerPack(0, 0x80001).tag(), 1u);
}

TEST(KeyPacking64, RoundTripsEverySource) {
  sim::Simulation s(WithPtrSize(8), ThreadsFirst(), nullptr);
  Runtime& rt = s.runtime();
  const uint64_t pd = 0x000000c000000140;
  for (uint8_t src = 0; src < 16; ++src) {
    uint64_t key = rt.packNetpollKey(src, pd);
    EXPECT_EQ(rt.unpackNetpollSource(key), src);
    EXPECT_EQ(poller::taggedPointer{key}.pointer(), pd);
  }
  EXPECT_EQ(rt.packNetpollKey(Runtime::netpollSourceBreak, 0), 2u);
  EXPECT_EQ(rt.packNetpollKey(Runtime::netpollSourceTimer, 0), 3u);
  EXPECT_EQ(rt.packNetpollKey(Runtime::netpollSourceReady, pd), (pd << 16) | 1);
}

TEST(KeyPacking64, SourceTooLargeIsFatal) {
  sim::Simulation s(WithPtrSize(8), ThreadsFirst(), nullptr);
  EXPECT_THROW(
      {
        try {
          s.runtime().packNetpollKey(16, 0);
        } catch (const poller::Fatal& f) {
          EXPECT_STREQ(f.what(), "runtime: source value is too large");
          throw;
        }
      },
      poller::Fatal);
}

TEST(KeyPacking64, SourceIsTheLowByteOfTheTag) {
  sim::Simulation s(WithPtrSize(8), ThreadsFirst(), nullptr);
  // uint8(taggedPointer(key).tag()): bits 4..7 count, so 0x41 is source 65.
  EXPECT_EQ(s.runtime().unpackNetpollSource(0x41), 0x41);
  EXPECT_EQ(s.runtime().unpackNetpollSource(0x101), 1);
}

TEST(KeyPacking32, ShiftsThePointerAndKeepsFourBits) {
  sim::Simulation s(WithPtrSize(4), ThreadsFirst(), nullptr);
  Runtime& rt = s.runtime();
  const uint64_t pd = 0x02000140;
  for (uint8_t src = 0; src < 16; ++src) {
    uint64_t key = rt.packNetpollKey(src, pd);
    EXPECT_EQ(key, ((pd << 4) | src) & 0xffffffff);
    EXPECT_EQ(rt.unpackNetpollSource(key), src);
  }
  // The pointer's top four bits do not fit and are discarded.
  EXPECT_EQ(rt.packNetpollKey(1, 0xf2000140), 0x20001401u);
  EXPECT_EQ(rt.unpackNetpollSource(0x41), 1);
}

// A pollOperation for a fresh pd, and the entry a completion for it makes.
struct Op {
  poller::pollDesc* pd;
  nt::OverlappedEntry entry;
};

Op MakeOp(Runtime& rt, uint8_t source = Runtime::netpollSourceReady) {
  poller::pollDesc* pd = rt.heap().newPollDesc(0x500);
  nt::uintptr ov = rt.heap().newPollOperation(pd, 'w');
  return Op{pd, nt::OverlappedEntry{rt.packNetpollKey(source, pd->addr), ov, 0, 0}};
}

class OperationFromEntry : public ::testing::TestWithParam<int> {};

TEST_P(OperationFromEntry, MatchesOnlyTheKeysPollDesc) {
  sim::Simulation s(WithPtrSize(GetParam()), ThreadsFirst(), nullptr);
  Runtime& rt = s.runtime();
  Op a = MakeOp(rt);
  Op b = MakeOp(rt);
  std::optional<poller::pollOperation> op = rt.pollOperationFromOverlappedEntry(&a.entry);
  ASSERT_TRUE(op.has_value());
  EXPECT_EQ(op->pd, a.pd->addr);
  EXPECT_EQ(op->mode, 'w');
  // b's OVERLAPPED under a's key: not from internal/poll.
  nt::OverlappedEntry crossed{a.entry.lpCompletionKey, b.entry.lpOverlapped, 0, 0};
  EXPECT_FALSE(rt.pollOperationFromOverlappedEntry(&crossed).has_value());
  // No OVERLAPPED at all.
  nt::OverlappedEntry none{a.entry.lpCompletionKey, 0, 0, 0};
  EXPECT_FALSE(rt.pollOperationFromOverlappedEntry(&none).has_value());
}

INSTANTIATE_TEST_SUITE_P(BothLayouts, OperationFromEntry, ::testing::Values(8, 4));

TEST(KeyPacking32, TopBitsOfPdDoNotTakePartInTheMatch) {
  // The 32-bit check compares pd<<4 on both sides, so pointers differing
  // only in their top four bits match: the layout cannot tell them apart.
  sim::Simulation s(WithPtrSize(4), ThreadsFirst(), nullptr);
  Runtime& rt = s.runtime();
  Op a = MakeOp(rt);
  nt::OverlappedEntry e{rt.packNetpollKey(1, a.pd->addr | 0xf0000000), a.entry.lpOverlapped, 0, 0};
  EXPECT_TRUE(rt.pollOperationFromOverlappedEntry(&e).has_value());
}

TEST(KeyPacking32, WholeRunWorksInA32BitProcess) {
  sim::Simulation s(WithPtrSize(4), ThreadsFirst(), nullptr);
  ASSERT_TRUE(s.Boot());
  EXPECT_EQ(s.runtime()._INVALID_HANDLE_VALUE, 0xffffffffu);
  nt::HANDLE fd = s.kernel().CreateFile();
  poller::pollDesc* pd = s.runtime().pollOpen(fd).first;
  ASSERT_NE(pd, nullptr);
  poller::g* gp = s.runtime().heap().newG(1);
  EXPECT_FALSE(s.runtime().netpollblock(pd, 'r', false, gp));
  nt::uintptr ov = s.runtime().heap().newPollOperation(pd, 'r');
  EXPECT_LT(ov, 0x100000000u);
  s.kernel().CompleteIo(fd, ov, 3);
  s.SpawnM("m1", [&](poller::M&) {
    auto [list, delta] = s.runtime().netpoll(1'000'000);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list.gs()[0], gp);
    EXPECT_EQ(delta, -1);
  });
  EXPECT_EQ(s.Run().outcome, sim::RunResult::Outcome::kCompleted);
}

}  // namespace
}  // namespace iocpsim
