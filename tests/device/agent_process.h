// The agents the device tests talk to: an rknn_server process started by the
// test itself, or the board of the ctest fixture (tests/device/board_fixture.sh),
// or a real board named by RKNN_TEST_DEVICE.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rknn::testing {

// The resident set of a process in KiB (/proc/PID/status VmRSS), or nullopt.
inline std::optional<long> rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return std::nullopt;
}

inline std::string read_first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// An rknn_server started with --port 0; stopped with SIGTERM when destroyed.
// `command` is the server, or a launcher and the server ({qemu, "-L", sysroot, server}).
class AgentProcess {
 public:
  AgentProcess(std::vector<std::string> command, const std::vector<std::string>& args, const std::filesystem::path& dir) {
    const auto port_file = dir / "port";
    const auto log_file = dir / "agent.log";
    std::filesystem::remove(port_file);
    const std::string program = command.at(0);
    command.insert(command.end(), {"--port", "0", "--port-file", port_file.string()});
    command.insert(command.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : command) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + program);
    for (int i = 0; i < 600 && !std::filesystem::exists(port_file); ++i) {
      if (!running()) throw std::runtime_error(program + " exited at start; see " + log_file.string());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!std::filesystem::exists(port_file)) {
      stop();
      throw std::runtime_error(program + " did not start listening within 30 s");
    }
    port_ = std::stoi(read_first_line(port_file));
  }
  ~AgentProcess() { stop(); }
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }
  std::string device() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = status;
      pid_ = 0;
      return false;
    }
    return true;
  }

  // SIGTERM, then SIGKILL after 10 s; the raw wait status.
  int stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      for (int i = 0; i < 200 && running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (running()) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &exit_status_, 0);
        pid_ = 0;
      }
    }
    return exit_status_;
  }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
  int exit_status_ = -1;
};

}  // namespace rknn::testing
