// Schedule files: what explore writes for a minimized finding reads back as
// the same decisions, and every malformed file is an error naming the line.
#include <string>
#include <vector>

#include "explore/schedule_file.h"
#include "gtest/gtest.h"

namespace iocpsim {
namespace {

TEST(ScheduleFile, RoundTrips) {
  const std::vector<uint32_t> picks = {0, 2, 0, 0, 1, 0, 3};
  EXPECT_EQ(explore::ScheduleText(picks), "1:2 4:1 6:3");
  absl::StatusOr<std::vector<uint32_t>> back =
      explore::ParseSchedule("s", explore::ScheduleFile(picks));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, picks);
}

TEST(ScheduleFile, DefaultsAreDropped) {
  // Trailing first options are what a replay takes past the list anyway.
  absl::StatusOr<std::vector<uint32_t>> p = explore::ParseSchedule("s", "1:1 5:0\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (std::vector<uint32_t>{0, 1}));
  p = explore::ParseSchedule("s", "# nothing\n\n");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
  EXPECT_EQ(explore::ScheduleText({0, 0}), "");
}

TEST(ScheduleFile, ErrorsNameTheLine) {
  for (const auto& [text, error] : std::vector<std::pair<std::string, std::string>>{
           {"1:1\nx", "s:2: \"x\": not DECISION:OPTION"},
           {"1:", "s:1: \"1:\": not DECISION:OPTION"},
           {"1:2:3", "s:1: \"1:2:3\": not DECISION:OPTION"},
           {"-1:2", "s:1: \"-1:2\": not DECISION:OPTION"},
           {"3:1 3:2", "s:1: \"3:2\": decision 3 is not after the one before"},
           {"4:1 2:1", "s:1: \"2:1\": decision 2 is not after the one before"},
           {"10000000:1", "decision past the limit of 10000000"},
           {"1:1000000", "option past the limit of 1000000"},
           {"99999999999:1", "not DECISION:OPTION"},
       }) {
    absl::StatusOr<std::vector<uint32_t>> p = explore::ParseSchedule("s", text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_NE(std::string(p.status().message()).find(error), std::string::npos)
        << text << " gave " << p.status();
  }
}

TEST(ScheduleFile, LoadNamesAMissingFile) {
  absl::StatusOr<std::vector<uint32_t>> p = explore::LoadSchedule("/nonexistent/x.schedule");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("/nonexistent/x.schedule"), std::string::npos);
}

}  // namespace
}  // namespace iocpsim
