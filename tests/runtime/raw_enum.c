/* C lets a caller pass any int where the RKNN API expects an enum; C++ may
 * not even form such a value. The C++ tests call this to act as such a caller. */
#include "rknn_api.h"

int rknn_test_query_raw(rknn_context context, int cmd, void* info, uint32_t size);

int rknn_test_query_raw(rknn_context context, int cmd, void* info, uint32_t size) {
  return rknn_query(context, (rknn_query_cmd)cmd, info, size);
}
