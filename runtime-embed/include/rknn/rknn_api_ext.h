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

#ifdef __cplusplus
}
#endif

#endif /* RKNN_API_EXT_H */
