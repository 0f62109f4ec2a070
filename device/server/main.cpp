// rknn_server: the board agent. Runs models sent by rknn-build's runtime
// (rknn_init with a device, `rknnc run --device`) on this machine with the
// simulator's kernels, over the protocol of docs/protocol.md.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "server/agent.h"

#ifndef RKNN_VERSION
#define RKNN_VERSION "0.0.0"
#endif

namespace {

using rknn::device::Agent;
using rknn::device::AgentOptions;

constexpr const char* kUsage = R"(usage: rknn_server [options]

Serves rknn-build's device protocol (docs/protocol.md) on TCP.

  --bind ADDRESS         address to listen on (default 127.0.0.1: this machine only;
                         0.0.0.0 or :: for every interface)
  --port N               TCP port (default 7621; 0 picks a free one)
  --port-file FILE       write the port listened on to FILE once listening
  --max-model-mb N       largest model accepted, in MiB (default 1024)
  --max-frame-mb N       largest message accepted, in MiB (default 64)
  --frame-timeout-ms N   a message that has begun must complete within N ms (default 10000)
  --idle-timeout-ms N    close a connection silent for N ms (default 0: never)
  --max-connections N    clients served at once (default 16)
  --max-models N         models loaded per client (default 16)
  --threads N            simulator threads per model, unless the client asks (default 1)
  --platform CHIP        the chip this board is (rk1808, rv1126, ...): models built for
                         another group are refused, PERF_RUN estimates this chip
                         (default: RKNN_TARGET_PLATFORM, else each model's first platform)
  --trace FILE           write one line per queued run and per executed segment to FILE
                         (docs/protocol.md, "Segmented models")
  --hold-queue N         run nothing until N runs are queued, once (tests: a fixed order)
  --watch-pid PID        exit when process PID ends (test fixtures)
  --verbose              log every connection and model
  --version              print the version and exit
  --help                 print this text and exit
)";

struct Usage : std::runtime_error {
  using std::runtime_error::runtime_error;
};

long long number(std::string_view flag, std::string_view text, long long min, long long max) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw Usage(std::string(flag) + ": '" + std::string(text) + "' is not an integer from " + std::to_string(min) +
                " to " + std::to_string(max));
  }
  return value;
}

struct Settings {
  AgentOptions agent;
  std::string port_file;
  long long watch_pid = 0;
};

Settings parse(int argc, char** argv) {
  Settings s;
  AgentOptions& a = s.agent;
  using Setter = std::function<void(std::string_view flag, std::string_view value)>;
  const std::map<std::string_view, Setter> options = {
      {"--bind", [&](auto, auto v) { a.bind = v; }},
      {"--port", [&](auto f, auto v) { a.port = static_cast<std::uint16_t>(number(f, v, 0, 65535)); }},
      {"--port-file", [&](auto, auto v) { s.port_file = v; }},
      {"--max-model-mb", [&](auto f, auto v) { a.max_model_bytes = static_cast<std::uint64_t>(number(f, v, 1, 1 << 20)) << 20; }},
      {"--max-frame-mb", [&](auto f, auto v) { a.max_payload = static_cast<std::uint32_t>(number(f, v, 1, 2047) << 20); }},
      {"--frame-timeout-ms", [&](auto f, auto v) { a.frame_timeout = std::chrono::milliseconds(number(f, v, 1, 86400000)); }},
      {"--idle-timeout-ms", [&](auto f, auto v) { a.idle_timeout = std::chrono::milliseconds(number(f, v, 0, 86400000)); }},
      {"--max-connections", [&](auto f, auto v) { a.max_connections = static_cast<int>(number(f, v, 1, 1024)); }},
      {"--max-models", [&](auto f, auto v) { a.max_models_per_connection = static_cast<int>(number(f, v, 1, 1024)); }},
      {"--threads", [&](auto f, auto v) { a.threads = static_cast<int>(number(f, v, 1, 256)); }},
      {"--platform", [&](auto, auto v) { a.platform = v; }},
      {"--trace", [&](auto, auto v) { a.trace_file = v; }},
      {"--hold-queue", [&](auto f, auto v) { a.hold_queue = static_cast<int>(number(f, v, 0, 1024)); }},
      {"--watch-pid", [&](auto f, auto v) { s.watch_pid = number(f, v, 1, 1LL << 31); }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help") throw Usage("");
    if (arg == "--version") {
      std::printf("rknn_server %s\n", RKNN_VERSION);
      std::exit(0);
    }
    if (arg == "--verbose") {
      a.verbose = true;
      continue;
    }
    std::string_view value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else if (options.contains(arg)) {
      throw Usage(std::string(arg) + " needs a value");
    }
    const auto it = options.find(arg);
    if (it == options.end()) throw Usage("unknown option '" + std::string(arg) + "'");
    it->second(arg, value);
  }
  return s;
}

// Written to a temporary name and renamed, so a reader never sees half a number.
void write_port_file(const std::string& path, std::uint16_t port) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + temporary);
  }
  std::filesystem::rename(temporary, path);
}

// Lock-free, so the signal handler may read it.
std::atomic<Agent*> g_agent{nullptr};

extern "C" void on_signal(int) {
  if (Agent* agent = g_agent.load()) agent->stop();
}

void install_signal_handlers() {
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

// Stops the agent when process `pid` is gone: a test fixture's agent never
// outlives the test run, even when the run is killed.
class PidWatch {
 public:
  PidWatch(long long pid, Agent& agent)
      : thread_([this, pid, &agent](std::stop_token stop) {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; })) {
            if (stop.stop_requested()) return;
            if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
              agent.log("process " + std::to_string(pid) + " ended; stopping");
              agent.stop();
              return;
            }
          }
        }) {}

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: stopped and joined first
};

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  try {
    settings = parse(argc, argv);
  } catch (const Usage& e) {
    const bool help = std::string_view(e.what()).empty();
    if (!help) std::fprintf(stderr, "rknn_server: %s\n\n", e.what());
    std::fputs(kUsage, help ? stdout : stderr);
    return help ? 0 : 2;
  }
  try {
    Agent agent(settings.agent);
    g_agent = &agent;
    install_signal_handlers();
    std::unique_ptr<PidWatch> watch;
    if (settings.watch_pid) watch = std::make_unique<PidWatch>(settings.watch_pid, agent);
    if (!settings.port_file.empty()) write_port_file(settings.port_file, agent.port());
    agent.log("listening on " + agent.url() + " (" + rknn::device::describe_agent(settings.agent).machine + ")");
    agent.serve();
    watch.reset();
    g_agent = nullptr;
    agent.log("stopped");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rknn_server: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
