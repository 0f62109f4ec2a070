// device_agent_tests' agent: a native rknn_server started on first use and
// stopped when the program ends. A short frame time-out keeps the tests of
// unfinished frames quick.
#include <filesystem>
#include <memory>

#include "device_test_util.h"

namespace rknn::testing {
namespace {

class NativeAgent {
 public:
  NativeAgent() : dir_(std::filesystem::temp_directory_path() / ("rknn-agent-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    // --watch-pid: the agent ends with this program, however it ends.
    const std::vector<std::string> args = {"--frame-timeout-ms", "1000", "--watch-pid", std::to_string(::getpid())};
    process_ = std::make_unique<AgentProcess>(std::vector<std::string>{RKNN_SERVER_PATH}, args, dir_);
    target_.device = process_->device();
    target_.pid = process_->pid();
  }
  ~NativeAgent() {
    process_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const AgentTarget& target() const { return target_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<AgentProcess> process_;
  AgentTarget target_;
};

}  // namespace

const AgentTarget& agent_target() {
  static const NativeAgent agent;
  return agent.target();
}

}  // namespace rknn::testing
