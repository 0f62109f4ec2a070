// device_board_tests' agent: the emulated aarch64 board of the ctest fixture
// (board_fixture.sh), or the real board named by RKNN_TEST_DEVICE.
#include "device_test_util.h"

namespace rknn::testing {

const AgentTarget& agent_target() {
  static const AgentTarget target = board_from_environment();
  return target;
}

}  // namespace rknn::testing
