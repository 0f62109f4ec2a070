// rknn_server under attack and under load: malformed frames, oversized
// lengths, wrong CRCs and versions, unknown messages, frames never finished
// and clients vanishing mid-transfer; after each, the agent must still serve a
// correct run. Then a soak of 1,000 runs with steady memory, two concurrent
// clients without cross-talk, and several models at once. Built twice: against
// a native agent (device_agent_tests) and against the emulated aarch64 board
// (device_board_tests, label `device`).
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "client/client.h"
#include "client/device_id.h"
#include "device_test_util.h"
#include "protocol/crc32.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "transport/tcp.h"

namespace rknn::testing {
namespace {

using namespace rknn::device;
using namespace std::chrono_literals;

constexpr auto kWait = 120s;  // generous: the emulated board is slow

std::unique_ptr<TcpStream> connect_raw() {
  const DeviceAddress address = parse_device_id(agent_target().device);
  return TcpStream::connect(address.host, address.port, deadline_after(std::chrono::milliseconds(kWait)));
}

std::vector<std::byte> frame_bytes(std::uint16_t type, std::uint32_t id, const std::vector<std::byte>& payload,
                                   std::uint16_t version = kProtocolVersion) {
  const auto header = encode_header(type, id, payload, version);
  std::vector<std::byte> out(header.size() + payload.size());
  std::memcpy(out.data(), header.data(), header.size());
  if (!payload.empty()) std::memcpy(out.data() + header.size(), payload.data(), payload.size());
  return out;
}

std::vector<std::byte> hello_payload(std::uint16_t min = 1, std::uint16_t max = 1) {
  return encode(HelloRequest{min, max, "device test"});
}

void send_raw(ByteStream& stream, std::span<const std::byte> bytes) {
  stream.write_all({bytes}, deadline_after(std::chrono::milliseconds(kWait)));
}

Frame read_reply(ByteStream& stream) {
  return read_frame(stream, {1u << 30, std::chrono::milliseconds(kWait)}, deadline_after(std::chrono::milliseconds(kWait)));
}

Status status_of(const Frame& reply) {
  PayloadReader reader(reply.payload, "reply");
  return read_status(reader);
}

// The agent has closed this connection: the next read sees the end.
void expect_closed(ByteStream& stream) {
  std::array<std::byte, 64> buffer{};
  try {
    for (;;) stream.read_some(buffer, deadline_after(std::chrono::milliseconds(kWait)));
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::kClosed) << e.what();
  }
}

// An ERROR frame with `code`, then the connection closes.
void expect_error_and_close(ByteStream& stream, int code, const std::string& text) {
  const Frame reply = read_reply(stream);
  EXPECT_EQ(reply.type, static_cast<std::uint16_t>(MessageType::kError) | kReplyFlag) << message_name(reply.type);
  const Status status = status_of(reply);
  EXPECT_EQ(status.code, code) << status.message;
  EXPECT_NE(status.message.find(text), std::string::npos) << status.message;
  expect_closed(stream);
}

// Sends `bytes` on a fresh connection, then resets it (SO_LINGER 0: an RST,
// not an orderly close), the way a crashing client or a pulled cable ends.
void send_then_reset(std::span<const std::byte> bytes) {
  const DeviceAddress address = parse_device_id(agent_target().device);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  ASSERT_EQ(::getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &found), 0);
  const int fd = ::socket(found->ai_family, SOCK_STREAM, 0);
  const int connected = ::connect(fd, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  ASSERT_EQ(connected, 0) << address.id;
  EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  const linger reset_now{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset_now, sizeof reset_now);
  ::close(fd);
}

// A request on a raw stream and its reply.
Frame raw_call(ByteStream& stream, MessageType type, std::uint32_t id, const std::vector<std::byte>& payload) {
  send_raw(stream, frame_bytes(static_cast<std::uint16_t>(type), id, payload));
  return read_reply(stream);
}

SetInputs inputs_for(std::uint32_t handle, const std::vector<float>& x) {
  SetInputs request;
  request.handle = handle;
  request.inputs.push_back({0, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW, 0, std::as_bytes(std::span(x))});
  return request;
}

// Sets the input, runs, and reads every output (raw and float) through a Client.
Outputs run_on(Client& client, std::uint32_t handle, const std::vector<float>& x) {
  client.set_inputs(inputs_for(handle, x));
  client.run(handle);
  const ReplyBody counts = client.query(handle, RKNN_QUERY_IN_OUT_NUM);
  PayloadReader counts_reader(counts.bytes(), "IN_OUT_NUM");
  rknn_input_output_num num{};
  read(counts_reader, num);
  GetOutputs request;
  request.handle = handle;
  for (std::uint32_t i = 0; i < num.n_output; ++i) request.outputs.push_back({i, 0});
  for (std::uint32_t i = 0; i < num.n_output; ++i) request.outputs.push_back({i, 1});
  ReplyBody storage;
  const OutputsReply reply = client.get_outputs(request, storage);
  Outputs out;
  for (std::uint32_t i = 0; i < num.n_output; ++i) {
    out.raw.emplace_back(reply.data[i].begin(), reply.data[i].end());
    out.floats.emplace_back(reply.data[num.n_output + i].begin(), reply.data[num.n_output + i].end());
  }
  return out;
}

class Agent : public ::testing::Test {
 protected:
  void SetUp() override { RKNN_REQUIRE_AGENT(); }

  static ModelFile& model(std::size_t i) {
    static std::vector<std::unique_ptr<ModelFile>> files = [] {
      std::vector<std::unique_ptr<ModelFile>> out;
      for (const auto& m : test_models()) out.push_back(std::make_unique<ModelFile>(m.path));
      return out;
    }();
    return *files.at(i);
  }

  // The simulator's answer for model i on input seed s, computed once.
  static const Outputs& reference(std::size_t i, std::uint32_t seed) {
    static std::map<std::pair<std::size_t, std::uint32_t>, Outputs> cache;
    auto it = cache.find({i, seed});
    if (it == cache.end()) it = cache.emplace(std::pair{i, seed}, simulator_outputs(model(i), test_input(seed))).first;
    return it->second;
  }

  // One correct run of model i through the C API's device backend.
  static void expect_correct_run(std::size_t i = 1, std::uint32_t seed = 7) {
    Context ctx;
    ASSERT_EQ(init_on(ctx, model(i), agent_target().device), RKNN_SUCC) << rknn_last_error_message();
    EXPECT_TRUE(run_once(ctx.id, test_input(seed)) == reference(i, seed)) << test_models()[i].name;
  }
};

// ---- framing ----------------------------------------------------------------------

TEST_F(Agent, GarbageBytesAreRefusedAndTheAgentStillServes) {
  auto stream = connect_raw();
  std::vector<std::byte> garbage(4096);
  std::mt19937 rng(3);
  for (auto& b : garbage) b = static_cast<std::byte>(rng());
  send_raw(*stream, garbage);
  expect_error_and_close(*stream, RKNN_ERR_FAIL, "magic");
  expect_correct_run();
}

TEST_F(Agent, BadMagic) {
  auto stream = connect_raw();
  auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload());
  bytes[0] = std::byte{'X'};
  send_raw(*stream, bytes);
  expect_error_and_close(*stream, RKNN_ERR_FAIL, "magic");
  expect_correct_run();
}

TEST_F(Agent, WrongProtocolVersionInTheHeader) {
  auto stream = connect_raw();
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload(), 2));
  expect_error_and_close(*stream, RKNN_ERR_DEVICE_UNMATCH, "protocol version 2");
  expect_correct_run();
}

TEST_F(Agent, WrongProtocolVersionInTheHandshake) {
  auto stream = connect_raw();
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload(2, 3)));
  const Frame reply = read_reply(*stream);
  EXPECT_EQ(reply.type, static_cast<std::uint16_t>(MessageType::kHello) | kReplyFlag);
  EXPECT_EQ(status_of(reply).code, RKNN_ERR_DEVICE_UNMATCH) << status_of(reply).message;
  expect_closed(*stream);
  expect_correct_run();
}

TEST_F(Agent, BadHeaderCrc) {
  auto stream = connect_raw();
  auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload());
  bytes[20] ^= std::byte{0x5A};
  send_raw(*stream, bytes);
  expect_error_and_close(*stream, RKNN_ERR_FAIL, "header CRC");
  expect_correct_run();
}

TEST_F(Agent, BadPayloadCrc) {
  auto stream = connect_raw();
  auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload());
  bytes.back() ^= std::byte{1};  // the payload changes, its CRC in the header does not
  send_raw(*stream, bytes);
  expect_error_and_close(*stream, RKNN_ERR_FAIL, "payload CRC");
  expect_correct_run();
}

TEST_F(Agent, OversizedLength) {
  auto stream = connect_raw();
  // A header announcing ~4 GiB, with a correct header CRC: refused before any allocation.
  auto header = encode_header(static_cast<std::uint16_t>(MessageType::kLoadChunk), 1, {});
  for (int i = 0; i < 4; ++i) header[12 + i] = std::byte{0xFF};
  const std::uint32_t crc = crc32(std::span<const std::byte>(header).first(20));
  for (int i = 0; i < 4; ++i) header[20 + i] = static_cast<std::byte>(crc >> (8 * i));
  send_raw(*stream, header);
  expect_error_and_close(*stream, RKNN_ERR_PARAM_INVALID, "the limit is");
  expect_correct_run();
}

TEST_F(Agent, RequestBeforeHello) {
  auto stream = connect_raw();
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kRun), 1, encode(ModelHandle{1})));
  const Frame reply = read_reply(*stream);
  EXPECT_EQ(status_of(reply).code, RKNN_ERR_DEVICE_UNMATCH);
  EXPECT_NE(status_of(reply).message.find("must be HELLO"), std::string::npos) << status_of(reply).message;
  expect_closed(*stream);
  expect_correct_run();
}

// Unknown types and malformed payloads in well-formed frames are answered
// with an error; the connection stays usable.
TEST_F(Agent, UnknownMessageTypeAndMalformedPayloadKeepTheConnection) {
  auto stream = connect_raw();
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload()));
  EXPECT_EQ(status_of(read_reply(*stream)).code, RKNN_SUCC);

  send_raw(*stream, frame_bytes(0x0777, 2, {}));
  Frame reply = read_reply(*stream);
  EXPECT_EQ(reply.request_id, 2u);
  EXPECT_EQ(status_of(reply).code, RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(status_of(reply).message.find("unknown request: message 0x00000777"), std::string::npos)
      << status_of(reply).message;

  const std::vector<std::byte> truncated(5);  // LOAD_BEGIN needs 16 bytes
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kLoadBegin), 3, truncated));
  reply = read_reply(*stream);
  EXPECT_EQ(status_of(reply).code, RKNN_ERR_PARAM_INVALID);
  EXPECT_NE(status_of(reply).message.find("malformed LOAD_BEGIN request"), std::string::npos)
      << status_of(reply).message;

  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kQuery), 4, encode(Query{99, 0, 0})));
  reply = read_reply(*stream);
  EXPECT_EQ(status_of(reply).code, RKNN_ERR_CTX_INVALID) << status_of(reply).message;
  expect_correct_run();
}

// ---- time-outs and vanishing clients ----------------------------------------------------

TEST_F(Agent, FrameNeverFinishedIsTimedOut) {
  auto stream = connect_raw();
  const auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload());
  send_raw(*stream, std::span(bytes).first(10));  // half a header, then silence
  expect_closed(*stream);                          // the agent's frame time-out
  expect_correct_run();
}

TEST_F(Agent, PayloadNeverFinishedIsTimedOut) {
  auto stream = connect_raw();
  send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload()));
  EXPECT_EQ(status_of(read_reply(*stream)).code, RKNN_SUCC);
  const std::vector<std::byte> chunk(1 << 20);
  const auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kLoadChunk), 2, chunk);
  send_raw(*stream, std::span(bytes).first(kHeaderSize + 1000));
  expect_closed(*stream);
  expect_correct_run();
}

TEST_F(Agent, ClientVanishesMidUploadMidFrameMidRunOrWithAReset) {
  {  // mid-upload, between chunks
    Client client(connect_raw(), "test", {});
    client.call(MessageType::kLoadBegin, encode(LoadBegin{model(0).size(), 0, 0}));
    client.call(MessageType::kLoadChunk, encode(LoadChunk{0, model(0).span().first(1000)}));
  }
  {  // mid-frame
    auto stream = connect_raw();
    send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload()));
    const std::vector<std::byte> chunk(100000);
    const auto bytes = frame_bytes(static_cast<std::uint16_t>(MessageType::kLoadChunk), 2, chunk);
    send_raw(*stream, std::span(bytes).first(50000));
  }
  {  // reset mid-frame and right after a whole request
    const auto hello = frame_bytes(static_cast<std::uint16_t>(MessageType::kHello), 1, hello_payload());
    send_then_reset(std::span(hello).first(kHeaderSize + 3));
    send_then_reset(hello);
  }
  {  // a run requested, the reply never read
    auto stream = connect_raw();
    raw_call(*stream, MessageType::kHello, 1, hello_payload());
    const auto bytes = model(1).span();
    raw_call(*stream, MessageType::kLoadBegin, 2, encode(LoadBegin{bytes.size(), 0, 0}));
    raw_call(*stream, MessageType::kLoadChunk, 3, encode(LoadChunk{0, bytes}));
    const Frame loaded = raw_call(*stream, MessageType::kLoadEnd, 4, encode(LoadEnd{crc32(bytes)}));
    PayloadReader reader(loaded.payload, "LOAD_END reply");
    ASSERT_EQ(read_status(reader).code, RKNN_SUCC);
    const std::uint32_t handle = reader.u32();
    const std::vector<float> x = test_input(1);
    raw_call(*stream, MessageType::kSetInputs, 5, encode(inputs_for(handle, x)));
    send_raw(*stream, frame_bytes(static_cast<std::uint16_t>(MessageType::kRun), 6, encode(ModelHandle{handle})));
  }
  expect_correct_run();
}

// ---- upload errors ------------------------------------------------------------------------

TEST_F(Agent, UploadErrorsAreReportedAndTheConnectionStaysUsable) {
  Client client(connect_raw(), "test", {});
  const auto bytes = model(1).span();
  auto expect_code = [&](MessageType type, const std::vector<std::byte>& payload, int code, const std::string& text) {
    try {
      client.call(type, payload);
      ADD_FAILURE() << message_name(static_cast<std::uint16_t>(type)) << " was accepted";
    } catch (const DeviceError& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  expect_code(MessageType::kLoadChunk, encode(LoadChunk{0, bytes.first(10)}), RKNN_ERR_PARAM_INVALID, "without LOAD_BEGIN");
  expect_code(MessageType::kLoadBegin, encode(LoadBegin{client.agent().max_model_bytes + 1, 0, 0}),
              RKNN_ERR_PARAM_INVALID, "at most");
  client.call(MessageType::kLoadBegin, encode(LoadBegin{bytes.size(), 0, 0}));
  expect_code(MessageType::kLoadChunk, encode(LoadChunk{64, bytes.first(10)}), RKNN_ERR_PARAM_INVALID, "expected 0");
  client.call(MessageType::kLoadBegin, encode(LoadBegin{16, 0, 0}));
  expect_code(MessageType::kLoadChunk, encode(LoadChunk{0, bytes.first(17)}), RKNN_ERR_PARAM_INVALID, "goes past");
  client.call(MessageType::kLoadBegin, encode(LoadBegin{bytes.size(), 0, 0}));
  client.call(MessageType::kLoadChunk, encode(LoadChunk{0, bytes.first(100)}));
  expect_code(MessageType::kLoadEnd, encode(LoadEnd{0}), RKNN_ERR_PARAM_INVALID, "LOAD_END after 100 of");
  client.call(MessageType::kLoadBegin, encode(LoadBegin{bytes.size(), 0, 0}));
  client.call(MessageType::kLoadChunk, encode(LoadChunk{0, bytes}));
  expect_code(MessageType::kLoadEnd, encode(LoadEnd{crc32(bytes) ^ 1u}), RKNN_ERR_MODEL_INVALID, "CRC-32");
  const std::vector<std::byte> garbage(4096, std::byte{0x42});
  try {
    client.load(garbage, 0, 0);
    ADD_FAILURE() << "a garbage model was loaded";
  } catch (const DeviceError& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_MODEL_INVALID) << e.what();
    EXPECT_NE(std::string(e.what()).find("invalid model"), std::string::npos) << e.what();
  }
  expect_code(MessageType::kUnload, encode(ModelHandle{12345}), RKNN_ERR_CTX_INVALID, "not loaded");
  // After all that, this connection still loads and runs correctly.
  const std::uint32_t handle = client.load(bytes, 0, 0);
  EXPECT_TRUE(run_on(client, handle, test_input(7)) == reference(1, 7));
}

// ---- several models, several clients, many runs ---------------------------------------------

TEST_F(Agent, SeveralModelsLoadedAtOnce) {
  Client client(connect_raw(), "test", {});
  std::vector<std::uint32_t> handles;
  for (std::size_t i = 0; i < test_models().size(); ++i) handles.push_back(client.load(model(i).span(), 0, 0));
  for (std::size_t i = 0; i < handles.size(); ++i) {
    EXPECT_TRUE(run_on(client, handles[i], test_input(11)) == reference(i, 11)) << test_models()[i].name;
  }
  client.unload(handles[0]);
  EXPECT_THROW(client.run(handles[0]), DeviceError);
  for (std::size_t i = 1; i < handles.size(); ++i) {
    EXPECT_TRUE(run_on(client, handles[i], test_input(12)) == reference(i, 12)) << test_models()[i].name;
  }
}

// Two clients run different models on different inputs at the same time:
// every result is its own client's, never the other's.
TEST_F(Agent, TwoConcurrentClientsWithoutCrossTalk) {
  constexpr int kRuns = 100;
  std::atomic<int> mismatches{0};
  auto client_loop = [&](std::size_t model_index, std::uint32_t seed_base) {
    Client client(connect_raw(), "test", {});
    const std::uint32_t handle = client.load(model(model_index).span(), 0, 0);
    for (int r = 0; r < kRuns; ++r) {
      const std::uint32_t seed = seed_base + static_cast<std::uint32_t>(r % 3);
      if (!(run_on(client, handle, test_input(seed)) == reference(model_index, seed))) ++mismatches;
    }
  };
  for (std::uint32_t s = 0; s < 3; ++s) {  // references first: the cache is not thread-safe
    reference(0, 100 + s);
    reference(2, 200 + s);
  }
  std::thread a(client_loop, 0, 100);
  std::thread b(client_loop, 2, 200);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// 1,000 sequential runs on one connection, each checked, with the agent's
// resident memory steady between the 100th and the 1,000th run.
TEST_F(Agent, SoakOfAThousandRunsWithSteadyMemory) {
  constexpr int kRuns = 1000;
  constexpr int kWarmUp = 100;
  Client client(connect_raw(), "test", {});
  const std::uint32_t handle = client.load(model(1).span(), 0, 0);
  std::vector<std::vector<float>> inputs;
  for (std::uint32_t s = 0; s < 4; ++s) inputs.push_back(test_input(300 + s));
  std::optional<long> rss_after_warm_up;
  int mismatches = 0;
  for (int r = 0; r < kRuns; ++r) {
    if (!(run_on(client, handle, inputs[r % 4]) == reference(1, 300 + r % 4))) ++mismatches;
    if (r + 1 == kWarmUp && agent_target().pid) rss_after_warm_up = rss_kib(agent_target().pid);
  }
  EXPECT_EQ(mismatches, 0);
  if (!agent_target().pid) return;  // a real board: its memory cannot be read from here
  const std::optional<long> rss_at_end = rss_kib(agent_target().pid);
  ASSERT_TRUE(rss_after_warm_up && rss_at_end);
  std::printf("agent RSS after %d runs: %ld KiB, after %d: %ld KiB\n", kWarmUp, *rss_after_warm_up, kRuns, *rss_at_end);
  // 900 more runs may not add memory: a leak of even 1 KiB per run would show.
  EXPECT_LE(*rss_at_end - *rss_after_warm_up, 512) << "KiB of growth";
}

}  // namespace
}  // namespace rknn::testing
