// The wire protocol piece by piece: CRC-32 against zlib, frames over real
// loopback sockets (round trip, every corruption detected, time-outs), the
// payload reader's bounds, message encodings, device ids, and the run
// queue's order.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>

#if RKNN_TEST_HAVE_ZLIB
#include <zlib.h>
#endif

#include "client/device_id.h"
#include "protocol/crc32.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "rknn_api.h"
#include "server/run_queue.h"
#include "transport/tcp.h"

namespace rknn::device {
namespace {

using namespace std::chrono_literals;

std::vector<std::byte> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> out(n);
  for (auto& b : out) b = static_cast<std::byte>(rng());
  return out;
}

std::span<const std::byte> text(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(Crc32, KnownValues) {
  EXPECT_EQ(crc32(text("")), 0u);
  EXPECT_EQ(crc32(text("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32(text("The quick brown fox jumps over the lazy dog")), 0x414FA339u);
}

TEST(Crc32, MatchesZlibAtEveryLengthAndSplit) {
#if RKNN_TEST_HAVE_ZLIB
  const auto data = random_bytes(4099, 1);
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 1000, 4099}) {
    const auto part = std::span(data).first(n);
    const auto expected = ::crc32(0, reinterpret_cast<const Bytef*>(part.data()), static_cast<uInt>(n));
    EXPECT_EQ(crc32(part), expected) << n << " bytes";
    const std::size_t half = n / 3;  // continued over two pieces
    EXPECT_EQ(crc32(part.subspan(half), crc32(part.first(half))), expected) << n << " bytes in two pieces";
  }
#else
  GTEST_SKIP() << "zlib not found when configured";
#endif
}

// A connected pair of TCP streams on loopback.
struct Pair {
  std::unique_ptr<TcpStream> client;
  std::unique_ptr<TcpStream> server;
};

Pair connected_pair() {
  TcpListener listener("127.0.0.1", 0);
  Pair p;
  p.client = TcpStream::connect("127.0.0.1", listener.port(), deadline_after(5000ms));
  int never[2];
  EXPECT_EQ(::pipe(never), 0);
  p.server = listener.accept(never[0]);
  ::close(never[0]);
  ::close(never[1]);
  return p;
}

TEST(Frame, RoundTripOverLoopback) {
  Pair p = connected_pair();
  const auto payload = random_bytes(3 << 20, 2);  // larger than the socket buffers
  std::thread writer([&] { write_frame(*p.client, 0x31, 77, payload, deadline_after(10000ms)); });
  const Frame f = read_frame(*p.server, {}, deadline_after(10000ms));
  writer.join();
  EXPECT_EQ(f.type, 0x31);
  EXPECT_EQ(f.request_id, 77u);
  EXPECT_TRUE(f.payload == payload);
  write_frame(*p.server, 0x8031, 77, {}, deadline_after(1000ms));  // empty payload
  const Frame reply = read_frame(*p.client, {}, deadline_after(1000ms));
  EXPECT_EQ(reply.type, 0x8031);
  EXPECT_TRUE(reply.payload.empty());
}

// Flips each byte of a frame in turn: every flip is caught, and the message says where.
TEST(Frame, EveryCorruptedByteIsDetected) {
  const auto payload = random_bytes(40, 3);
  const auto header = encode_header(0x20, 5, payload);
  std::vector<std::byte> good(header.begin(), header.end());
  good.insert(good.end(), payload.begin(), payload.end());
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= std::byte{0x10};
    Pair p = connected_pair();
    p.client->write_all({bad}, deadline_after(1000ms));
    const std::string field = i < 4 ? "magic" : i < 6 ? "protocol version" : i < 24 ? "header CRC" : "payload CRC";
    try {
      // A length flipped upwards leaves the reader waiting for bytes that never come.
      read_frame(*p.server, {1u << 20, 300ms}, deadline_after(1000ms));
      ADD_FAILURE() << "byte " << i << " flipped and not detected";
    } catch (const ProtocolError& e) {
      EXPECT_TRUE(e.lost_sync());
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << "byte " << i << ": " << e.what();
    } catch (const TransportError& e) {
      ADD_FAILURE() << "byte " << i << ": " << e.what();
    }
  }
}

TEST(Frame, OversizedLengthIsRefusedBeforeReading) {
  Pair p = connected_pair();
  const auto payload = random_bytes(2000, 4);
  write_frame(*p.client, 0x11, 1, payload, deadline_after(1000ms));
  try {
    read_frame(*p.server, {1000, 1000ms}, deadline_after(1000ms));
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID);
    EXPECT_NE(std::string(e.what()).find("frame of 2000 bytes (LOAD_CHUNK), the limit is 1000"), std::string::npos)
        << e.what();
  }
}

TEST(Frame, UnfinishedFrameTimesOutAndClosedStreamIsReported) {
  Pair p = connected_pair();
  const auto header = encode_header(0x01, 1, random_bytes(10, 5));
  p.client->write_all({std::span(header).first(7)}, deadline_after(1000ms));
  try {
    read_frame(*p.server, {1u << 20, 100ms}, kNoDeadline);
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::kTimeout);
    EXPECT_EQ(e.code(), RKNN_ERR_TIMEOUT);
  }
  p.client.reset();
  try {
    read_frame(*p.server, {}, deadline_after(1000ms));
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::kClosed);
    EXPECT_EQ(e.code(), RKNN_ERR_DEVICE_UNAVAILABLE);
  }
}

TEST(Payload, ReaderChecksEveryLength) {
  PayloadWriter w;
  w.u32(7);
  w.string("abc");
  const auto data = w.take();
  {
    PayloadReader r(data, "TEST message");
    EXPECT_EQ(r.u32(), 7u);
    EXPECT_EQ(r.string(), "abc");
    EXPECT_NO_THROW(r.finish());
  }
  {
    const auto truncated = std::span(data).first(9);
    PayloadReader r(truncated, "TEST message");
    r.u32();
    try {
      r.string();
      FAIL();
    } catch (const ProtocolError& e) {
      EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID);
      EXPECT_FALSE(e.lost_sync());
      EXPECT_NE(std::string(e.what()).find("malformed TEST message: string needs 3 bytes"), std::string::npos)
          << e.what();
    }
  }
  {
    PayloadReader r(data, "TEST message");
    r.u32();
    EXPECT_THROW(r.string(2), ProtocolError);  // longer than allowed
  }
  {
    PayloadReader r(data, "TEST message");
    r.u32();
    EXPECT_THROW(r.finish(), ProtocolError);  // trailing bytes
  }
  {
    std::vector<std::byte> huge_length = {std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}, std::byte{0xFF}};
    PayloadReader r(huge_length, "TEST message");
    EXPECT_THROW(r.bytes(), ProtocolError);
  }
}

TEST(Messages, RoundTrip) {
  rknn_tensor_attr attr{};
  attr.index = 2;
  attr.n_dims = 4;
  const std::uint32_t dims[] = {32, 32, 3, 1};
  std::copy(std::begin(dims), std::end(dims), attr.dims);
  std::snprintf(attr.name, sizeof attr.name, "input");
  attr.n_elems = 3072;
  attr.size = 3072;
  attr.fmt = RKNN_TENSOR_NHWC;
  attr.type = RKNN_TENSOR_UINT8;
  attr.qnt_type = RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC;
  attr.fl = -3;
  attr.zp = 128;
  attr.scale = 0.0078125f;
  PayloadWriter w;
  write(w, attr);
  PayloadReader r(w.data(), "attr");
  rknn_tensor_attr back{};
  read(r, back);
  r.finish();
  EXPECT_EQ(std::memcmp(&attr, &back, sizeof attr), 0);

  std::vector<float> x = {1, 2, 3};
  SetInputs inputs;
  inputs.handle = 9;
  inputs.inputs.push_back({0, RKNN_TENSOR_FLOAT32, RKNN_TENSOR_NCHW, 1, std::as_bytes(std::span(x))});
  const auto encoded = encode(inputs);
  const auto decoded = decode<SetInputs>(encoded, "SET_INPUTS");
  ASSERT_EQ(decoded.inputs.size(), 1u);
  EXPECT_EQ(decoded.handle, 9u);
  EXPECT_EQ(decoded.inputs[0].pass_through, 1);
  EXPECT_TRUE(std::equal(decoded.inputs[0].data.begin(), decoded.inputs[0].data.end(),
                         std::as_bytes(std::span(x)).begin()));

  const HelloReply hello{1, "rknn_server", "api", "drv", "aarch64 Linux", 1000, 1ull << 40};
  const auto h = decode<HelloReply>(encode(hello), "HELLO reply");
  EXPECT_EQ(h.machine, "aarch64 Linux");
  EXPECT_EQ(h.max_model_bytes, 1ull << 40);
}

TEST(Messages, OutOfRangeEnumsAndCountsAreMalformed) {
  rknn_tensor_attr attr{};
  PayloadWriter w;
  write(w, attr);
  auto bytes = w.take();
  bytes[4 + 4 + 4 + 4 + 4 + 3] = std::byte{9};  // fmt's high byte: fmt = 9 << 24
  PayloadReader r(bytes, "attr");
  rknn_tensor_attr back{};
  EXPECT_THROW(read(r, back), ProtocolError);

  PayloadWriter many;
  many.u32(1);
  many.u32(1u << 30);  // outputs requested
  EXPECT_THROW(decode<GetOutputs>(many.data(), "GET_OUTPUTS"), ProtocolError);
}

TEST(DeviceIds, ParseAndNormalise) {
  EXPECT_EQ(parse_device_id("tcp://127.0.0.1:5000").id, "tcp://127.0.0.1:5000");
  EXPECT_EQ(parse_device_id("tcp://board.local").id, "tcp://board.local:7621");
  const DeviceAddress v6 = parse_device_id("tcp://[::1]:6000");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 6000);
  EXPECT_EQ(v6.id, "tcp://[::1]:6000");
  const DeviceAddress usb = parse_device_id("usb:1-4.2");
  EXPECT_EQ(usb.kind, DeviceAddress::Kind::kUsb);
  EXPECT_EQ(usb.usb_path, "1-4.2");
  for (const char* bad : {"", "simulator", "tcp://", "tcp://host:0", "tcp://host:99999", "tcp://host:x",
                          "tcp://[::1", "usb:", "usb:1", "usb:1-", "usb:1-2..3", "usb:1-2.", "usb:a-b", "rk1808"}) {
    try {
      parse_device_id(bad);
      ADD_FAILURE() << "'" << bad << "' was accepted";
    } catch (const DeviceError& e) {
      EXPECT_EQ(e.code(), RKNN_ERR_PARAM_INVALID);
      EXPECT_NE(std::string(e.what()).find("expected tcp://HOST[:PORT]"), std::string::npos) << e.what();
    }
  }
}

TEST(Transport, ConnectionRefusedIsDeviceUnavailable) {
  std::uint16_t port = 0;
  {
    TcpListener listener("127.0.0.1", 0);  // a port that was free a moment ago
    port = listener.port();
  }
  try {
    TcpStream::connect("127.0.0.1", port, deadline_after(2000ms));
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_EQ(e.code(), RKNN_ERR_DEVICE_UNAVAILABLE);
    EXPECT_NE(std::string(e.what()).find("cannot connect to tcp://127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << e.what();
  }
}

// Jobs from many threads run one at a time; each thread's jobs in its order.
TEST(RunQueue, OneAtATimeInOrder) {
  RunQueue queue;
  std::atomic<int> running{0};
  std::atomic<int> overlaps{0};
  std::mutex order_mutex;
  std::vector<std::pair<int, int>> order;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        queue.run([&] {
          if (running.fetch_add(1) != 0) ++overlaps;
          {
            std::lock_guard lock(order_mutex);
            order.emplace_back(t, i);
          }
          running.fetch_sub(1);
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(overlaps.load(), 0);
  ASSERT_EQ(order.size(), 200u);
  std::vector<int> next(4, 0);
  for (const auto& [t, i] : order) EXPECT_EQ(i, next[static_cast<std::size_t>(t)]++);
}

}  // namespace
}  // namespace rknn::device
