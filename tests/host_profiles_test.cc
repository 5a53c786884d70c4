// The table of host profiles (sim/host_profiles.h): the names, what each
// sets, an unknown name, and a HostSpec laid over a configuration.
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/host_profiles.h"
#include "sim/kernel_config.h"

namespace iocpsim {
namespace {

using ::testing::HasSubstr;

TEST(HostProfiles, NamesInOrderDefaultFirst) {
  EXPECT_EQ(sim::HostProfileNames(), "windows, windows-pre1803, wine8");
  ASSERT_FALSE(sim::HostProfiles().empty());
  EXPECT_STREQ(sim::HostProfiles()[0].name, sim::kDefaultHostProfile);
  for (const sim::HostProfile& p : sim::HostProfiles()) {
    EXPECT_EQ(p.kernel.profile, p.name);
    EXPECT_NE(std::string(p.summary), "");
  }
}

// The default profile is today's default configuration, rule for rule.
TEST(HostProfiles, WindowsIsTheDefaultConfig) {
  absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig("windows");
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_TRUE(*k == sim::KernelConfig{});
  EXPECT_EQ(k->timer_latency_ns, 100'000);  // [S46]
}

TEST(HostProfiles, Pre1803HasNoHighResolutionTimersAndAOneMsTick) {
  absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig("windows-pre1803");
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_FALSE(k->high_resolution_timers);  // [S13]
  EXPECT_EQ(k->tick_ns, 1'000'000);         // [S42]
  EXPECT_TRUE(k->have_NtCreateWaitCompletionPacket);
  EXPECT_EQ(k->waiter_order, sim::WaiterOrder::kLifo);
  EXPECT_TRUE(k->close_abandons_waiters);
  EXPECT_EQ(k->timer_latency_ns, 0);  // [S46] none without the timers
}

TEST(HostProfiles, Wine8SetsEveryMeasuredDifference) {
  absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig("wine8");
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_FALSE(k->have_NtCreateWaitCompletionPacket);  // [S28]
  EXPECT_FALSE(k->have_NtAssociateWaitCompletionPacket);
  EXPECT_FALSE(k->have_NtCancelWaitCompletionPacket);
  EXPECT_EQ(k->waiter_order, sim::WaiterOrder::kFifo);  // [S38]
  EXPECT_FALSE(k->close_abandons_waiters);              // [S39]
  EXPECT_EQ(k->removed_on_timeout, 1u);                 // [S40]
  EXPECT_EQ(k->expiry_grid, sim::ExpiryGrid::kFromCall);  // [S41]
  EXPECT_EQ(k->tick_ns, 1'000'000);
  EXPECT_EQ(k->timer_resolution_ns, 1'000'000);
  EXPECT_TRUE(k->high_resolution_timers);  // the flag is accepted
  EXPECT_EQ(k->timer_latency_ns, 0);       // [S46] its ~0.1 ms over is every wait's [S41]
}

TEST(HostProfiles, UnknownNameListsTheValidOnes) {
  for (const char* bad : {"wine", "", "Windows", "wine8 "}) {
    absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig(bad);
    ASSERT_FALSE(k.ok()) << bad;
    EXPECT_EQ(k.status().message(),
              absl::StrCat("unknown host \"", bad, "\" (hosts: windows, windows-pre1803, wine8)"));
  }
}

// A spec's profile replaces every host rule but keeps the target's pointer
// size and the epoch; its settings then replace one each.
TEST(HostSpec, ProfileThenSettings) {
  sim::KernelConfig k;
  k.ptr_size = 4;
  k.tick_ns = 7;
  sim::HostSpec spec;
  spec.profile = "wine8";
  spec.tick_ns = 2'000'000;
  spec.wait_packets = true;
  ASSERT_TRUE(sim::ApplyHostSpec(spec, k).ok());
  EXPECT_EQ(k.profile, "wine8");
  EXPECT_EQ(k.ptr_size, 4);
  EXPECT_EQ(k.tick_ns, 2'000'000);                  // the setting, over wine8's 1 ms
  EXPECT_TRUE(k.have_NtCancelWaitCompletionPacket);  // likewise
  EXPECT_EQ(k.waiter_order, sim::WaiterOrder::kFifo);  // wine8's, untouched
  EXPECT_EQ(k.timer_resolution_ns, 1'000'000);
}

// Without a profile only the settings change; the profile name stays that of
// the rules they were changed on.
TEST(HostSpec, SettingsAloneChangeOnlyThemselves) {
  absl::StatusOr<sim::KernelConfig> k = sim::HostProfileConfig("wine8");
  ASSERT_TRUE(k.ok());
  sim::HostSpec spec;
  spec.high_res_timers = false;
  spec.timer_resolution_ns = 250'000;
  ASSERT_TRUE(sim::ApplyHostSpec(spec, *k).ok());
  EXPECT_EQ(k->profile, "wine8");
  EXPECT_FALSE(k->high_resolution_timers);
  EXPECT_EQ(k->timer_resolution_ns, 250'000);
  EXPECT_EQ(k->tick_ns, 1'000'000);
  const sim::KernelConfig before = *k;
  ASSERT_TRUE(sim::ApplyHostSpec(sim::HostSpec{}, *k).ok());  // an empty spec: no change
  EXPECT_TRUE(*k == before);
}

TEST(HostSpec, UnknownProfileLeavesTheConfigAlone) {
  sim::KernelConfig k;
  k.tick_ns = 3;
  sim::HostSpec spec;
  spec.profile = "beos";
  spec.tick_ns = 9;
  absl::Status st = sim::ApplyHostSpec(spec, k);
  EXPECT_THAT(std::string(st.message()), HasSubstr("unknown host \"beos\""));
  EXPECT_EQ(k.tick_ns, 3);
  EXPECT_EQ(k.profile, "windows");
}

}  // namespace
}  // namespace iocpsim
