/*
 * rknn_api_ext.h: rknn-build additions to the RKNN C API. Kept apart from
 * rknn_api.h so that rknn_api.h stays identical in shape to Rockchip's
 * published header; applications written for Rockchip's runtime never need
 * this file.
 */
#ifndef RKNN_API_EXT_H
#define RKNN_API_EXT_H

#include <stdint.h>

#include "rknn_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What went wrong in the last rknn_* call made by this thread that failed, in
 * one line naming the input, output or model part ("" when that call
 * succeeded). The text stays valid until this thread's next rknn_* call.
 */
const char* rknn_last_error_message(void);

/*
 * rknn_init with an explicit number of simulator worker threads: threads >= 1
 * is used as given; 0 behaves as rknn_init (the RKNN_THREADS environment
 * variable, else 1); a negative value is RKNN_ERR_PARAM_INVALID. Results do not
 * depend on the thread count.
 */
int rknn_init_with_threads(rknn_context* context, void* model, uint32_t size, uint32_t flag, int32_t threads);

/*
 * Encrypted models (docs/encryption.md). A model made with `rknnc encrypt` or
 * `rknnc compile --encrypt-level` needs its key: plain rknn_init refuses it
 * with RKNN_ERR_MODEL_INVALID. A wrong key, a truncated or a modified model is
 * RKNN_ERR_MODEL_INVALID too, with the reason in rknn_last_error_message().
 * The runtime decrypts into memory it owns and wipes its copies of the key.
 */

/* The longest key or secret the runtime accepts, in bytes. */
#define RKNN_MAX_KEY_LEN 1024

/*
 * rknn_init with the model's key: 32 bytes for levels 1 and 2, the secret
 * (8 to RKNN_MAX_KEY_LEN bytes) for level 3. The key is read during the call
 * only. A model that is not encrypted loads as with rknn_init.
 */
int rknn_init_encrypted(rknn_context* context, void* model, uint32_t size, uint32_t flag, const uint8_t* key,
                        uint32_t key_len);

/*
 * Supplies the key of an encrypted model on demand, e.g. from secure storage:
 * `key_id` (16 hex digits, as `rknnc inspect` prints it) and `level` say which
 * key; write at most `capacity` bytes to `key`, set *key_len and return 0.
 * Any other return value refuses (rknn_init fails with RKNN_ERR_MODEL_INVALID).
 * The runtime wipes `key` after use. Called on the thread of the init call,
 * only for encrypted models.
 */
typedef int (*rknn_key_provider)(void* user_data, const char* key_id, int32_t level, uint8_t* key,
                                 uint32_t capacity, uint32_t* key_len);

/* Everything rknn_init can be told; zero-initialize, then set what applies. */
typedef struct _rknn_init_options {
  int32_t threads;                 /* as rknn_init_with_threads; 0: as rknn_init */
  const uint8_t* key;              /* the key (or NULL): as rknn_init_encrypted */
  uint32_t key_len;
  rknn_key_provider key_provider;  /* or a provider (not both) */
  void* key_provider_data;         /* passed to key_provider as user_data */
  const char* device;              /* run on this board (below); NULL: RKNN_DEVICE, else the simulator */
  const char* target_platform;     /* the chip the simulator acts as (below); NULL: RKNN_TARGET_PLATFORM */
} rknn_init_options;

/*
 * Target platform (docs/perf-model.md). The simulator acts as the chip named by
 * rknn_init_options.target_platform or, when it is NULL, by the environment
 * variable RKNN_TARGET_PLATFORM ("rk1808", "rv1126", ...); when neither is
 * set, as the model's first target platform. A model built for another
 * compatibility group (rk1808 rk3399pro | rv1109 rv1126 | rk3566 rk3568 |
 * rk3588 | rv1103 rv1106) fails rknn_init with RKNN_ERR_TARGET_PLATFORM_UNMATCH;
 * an unknown name is RKNN_ERR_PARAM_INVALID. The chip's cost model gives
 * RKNN_QUERY_PERF_RUN (estimated NPU microseconds of a run) and the estimated
 * column of RKNN_QUERY_PERF_DETAIL.
 */

/*
 * Boards (docs/protocol.md). A context runs its model on a board's
 * rknn_server when rknn_init_options.device names one, or, when it is NULL,
 * when the environment variable RKNN_DEVICE does: "tcp://HOST[:PORT]" (port
 * 7621 by default) or "usb:BUS-PORTS" as `rknnc devices` lists them.
 * "simulator" keeps the model in process whatever RKNN_DEVICE says. Every
 * call then goes to the board, which gives the bytes the simulator gives;
 * RKNN_QUERY_SDK_VERSION, PERF_RUN and PERF_DETAIL report the board's agent
 * and timings; the board knows which chip it is (rknn_server --platform), so
 * target_platform is not sent. A board that cannot be reached fails rknn_init with
 * RKNN_ERR_DEVICE_UNAVAILABLE (RKNN_ERR_TIMEOUT when it stops answering);
 * encrypted models run on the simulator only.
 */

/* rknn_init with options; options may be NULL (then as rknn_init). */
int rknn_init_with_options(rknn_context* context, void* model, uint32_t size, uint32_t flag,
                           const rknn_init_options* options);

/*
 * Segmented models (`rknnc compile --sync-layers`, docs/protocol.md): rknn_run
 * in steps, so that a scheduler such as rknn_server can run other work between
 * them. Segment 0 starts a run with the inputs set (checked as rknn_run does);
 * each following call runs the next segment; the call that runs the last one
 * (segment_count - 1) ends the run as rknn_run does (extend->frame_id, outputs
 * ready). The outputs are the bytes rknn_run gives. *segment_count (may be
 * NULL) receives the number of segments: 1 for a model without sync points, a
 * pre-compiled model or a device context. A segment out of order is
 * RKNN_ERR_PARAM_INVALID; segment 0 or rknn_run abandons an unfinished run.
 */
int rknn_run_segment(rknn_context context, uint32_t segment, uint32_t* segment_count, rknn_run_extend* extend);

#ifdef __cplusplus
}
#endif

#endif /* RKNN_API_EXT_H */
