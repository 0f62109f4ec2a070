/*
 * A C application written only against rknn_api.h, in the style of
 * Rockchip's published RKNN examples: it proves that existing RKNN programs
 * build and run unchanged against rknn-build's runtime.
 *
 * usage: rknn_c_app MODEL.rknn
 * Feeds a synthetic NHWC uint8 image and prints the top-5 classes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rknn_api.h"

static unsigned char* load_model(const char* filename, int* model_size) {
  FILE* fp = fopen(filename, "rb");
  if (fp == NULL) {
    printf("fopen %s fail!\n", filename);
    return NULL;
  }
  fseek(fp, 0, SEEK_END);
  long size = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  unsigned char* model = (unsigned char*)malloc(size > 0 ? (size_t)size : 1);
  if (model == NULL || size <= 0 || fread(model, 1, (size_t)size, fp) != (size_t)size) {
    printf("read %s fail!\n", filename);
    free(model);
    fclose(fp);
    return NULL;
  }
  fclose(fp);
  *model_size = (int)size;
  return model;
}

static const char* format_name(rknn_tensor_format fmt) {
  switch (fmt) {
    case RKNN_TENSOR_NCHW: return "NCHW";
    case RKNN_TENSOR_NHWC: return "NHWC";
    default: return "UNKNOWN";
  }
}

static const char* type_name(rknn_tensor_type type) {
  switch (type) {
    case RKNN_TENSOR_FLOAT32: return "FP32";
    case RKNN_TENSOR_FLOAT16: return "FP16";
    case RKNN_TENSOR_INT8: return "INT8";
    case RKNN_TENSOR_UINT8: return "UINT8";
    case RKNN_TENSOR_INT16: return "INT16";
    default: return "UNKNOWN";
  }
}

static const char* qnt_name(rknn_tensor_qnt_type type) {
  switch (type) {
    case RKNN_TENSOR_QNT_NONE: return "NONE";
    case RKNN_TENSOR_QNT_DFP: return "DFP";
    case RKNN_TENSOR_QNT_AFFINE_ASYMMETRIC: return "AFFINE";
    default: return "UNKNOWN";
  }
}

static void print_tensor(const rknn_tensor_attr* attr) {
  uint32_t i;
  printf("index=%u name=%s n_dims=%u dims=[", attr->index, attr->name, attr->n_dims);
  for (i = 0; i < attr->n_dims; ++i) printf("%s%u", i ? " " : "", attr->dims[i]);
  printf("] n_elems=%u size=%u fmt=%s type=%s qnt_type=%s fl=%d zp=%u scale=%f\n", attr->n_elems, attr->size,
         format_name(attr->fmt), type_name(attr->type), qnt_name(attr->qnt_type), attr->fl, attr->zp, attr->scale);
}

static void print_top5(const float* data, uint32_t count) {
  int used[5] = {-1, -1, -1, -1, -1};
  int k;
  uint32_t i;
  printf("--- Top5 ---\n");
  for (k = 0; k < 5 && (uint32_t)k < count; ++k) {
    int best = -1;
    for (i = 0; i < count; ++i) {
      int j, taken = 0;
      for (j = 0; j < k; ++j) taken |= used[j] == (int)i;
      if (!taken && (best < 0 || data[i] > data[best])) best = (int)i;
    }
    used[k] = best;
    printf("%3d: %8.6f\n", best, data[best]);
  }
}

int main(int argc, char** argv) {
  rknn_context ctx = 0;
  int ret, model_size = 0;
  uint32_t i;
  unsigned char* model;
  unsigned char* img;
  rknn_sdk_version version;
  rknn_input_output_num io_num;
  rknn_tensor_attr input_attrs[1];
  rknn_tensor_attr output_attrs[8];
  rknn_input inputs[1];
  rknn_output outputs[1];
  uint32_t width, height, channel, x, y, c;

  if (argc != 2) {
    printf("Usage: %s <rknn model>\n", argv[0]);
    return -1;
  }
  model = load_model(argv[1], &model_size);
  if (model == NULL) return -1;
  ret = rknn_init(&ctx, model, (uint32_t)model_size, 0);
  if (ret < 0) {
    printf("rknn_init fail! ret=%d\n", ret);
    free(model);
    return -1;
  }

  ret = rknn_query(ctx, RKNN_QUERY_SDK_VERSION, &version, sizeof(version));
  if (ret < 0) {
    printf("rknn_query fail! ret=%d\n", ret);
    return -1;
  }
  printf("sdk version: %s driver version: %s\n", version.api_version, version.drv_version);

  ret = rknn_query(ctx, RKNN_QUERY_IN_OUT_NUM, &io_num, sizeof(io_num));
  if (ret < 0 || io_num.n_input != 1 || io_num.n_output < 1 || io_num.n_output > 8) {
    printf("rknn_query fail! ret=%d\n", ret);
    return -1;
  }
  printf("model input num: %u, output num: %u\n", io_num.n_input, io_num.n_output);

  memset(input_attrs, 0, sizeof(input_attrs));
  input_attrs[0].index = 0;
  ret = rknn_query(ctx, RKNN_QUERY_INPUT_ATTR, &input_attrs[0], sizeof(rknn_tensor_attr));
  if (ret < 0) {
    printf("rknn_query fail! ret=%d\n", ret);
    return -1;
  }
  print_tensor(&input_attrs[0]);

  memset(output_attrs, 0, sizeof(output_attrs));
  for (i = 0; i < io_num.n_output; i++) {
    output_attrs[i].index = i;
    ret = rknn_query(ctx, RKNN_QUERY_OUTPUT_ATTR, &output_attrs[i], sizeof(rknn_tensor_attr));
    if (ret < 0) {
      printf("rknn_query fail! ret=%d\n", ret);
      return -1;
    }
    print_tensor(&output_attrs[i]);
  }

  /* dims are innermost first: an NCHW input reports {W, H, C, N}. */
  if (input_attrs[0].n_dims != 4) {
    printf("expected an image input\n");
    return -1;
  }
  width = input_attrs[0].dims[0];
  height = input_attrs[0].dims[1];
  channel = input_attrs[0].dims[2];
  if (input_attrs[0].fmt == RKNN_TENSOR_NHWC) {
    channel = input_attrs[0].dims[0];
    width = input_attrs[0].dims[1];
    height = input_attrs[0].dims[2];
  }
  printf("model input height=%u, width=%u, channel=%u\n", height, width, channel);

  /* A synthetic image in place of a decoded JPEG: HWC, uint8. */
  img = (unsigned char*)malloc(width * height * channel);
  if (img == NULL) return -1;
  for (y = 0; y < height; ++y)
    for (x = 0; x < width; ++x)
      for (c = 0; c < channel; ++c) img[(y * width + x) * channel + c] = (unsigned char)((x * 7 + y * 13 + c * 29) & 0xff);

  memset(inputs, 0, sizeof(inputs));
  inputs[0].index = 0;
  inputs[0].type = RKNN_TENSOR_UINT8;
  inputs[0].size = width * height * channel;
  inputs[0].fmt = RKNN_TENSOR_NHWC;
  inputs[0].buf = img;
  ret = rknn_inputs_set(ctx, io_num.n_input, inputs);
  if (ret < 0) {
    printf("rknn_input_set fail! ret=%d\n", ret);
    return -1;
  }

  ret = rknn_run(ctx, NULL);
  if (ret < 0) {
    printf("rknn_run fail! ret=%d\n", ret);
    return -1;
  }

  memset(outputs, 0, sizeof(outputs));
  outputs[0].want_float = 1;
  ret = rknn_outputs_get(ctx, 1, outputs, NULL);
  if (ret < 0) {
    printf("rknn_outputs_get fail! ret=%d\n", ret);
    return -1;
  }
  printf("output size=%u\n", outputs[0].size);
  print_top5((const float*)outputs[0].buf, outputs[0].size / (uint32_t)sizeof(float));

  rknn_outputs_release(ctx, 1, outputs);
  rknn_destroy(ctx);
  free(img);
  free(model);
  return 0;
}
