// device_agent_tests' agent: a native rknn_server started on first use and
// stopped when the program ends. A short frame time-out keeps the tests of
// unfinished frames quick.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "device_test_util.h"

namespace rknn::testing {
namespace {

// Under AddressSanitizer the agent would hold every freed block in ASan's
// quarantine (up to 256 MB), and the soak test, which reads the agent's
// resident memory, would measure the quarantine filling instead of the agent.
// The agent gets no quarantine; leaks are still LeakSanitizer's to report.
void agent_without_asan_quarantine() {
#if defined(__SANITIZE_ADDRESS__)
  const char* inherited = std::getenv("ASAN_OPTIONS");
  std::string options = inherited ? inherited : "";
  if (!options.empty()) options += ':';
  options += "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
  ::setenv("ASAN_OPTIONS", options.c_str(), 1);  // read by the child only: ours were parsed at start
#endif
}

class NativeAgent {
 public:
  NativeAgent() : dir_(std::filesystem::temp_directory_path() / ("rknn-agent-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
    agent_without_asan_quarantine();
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
