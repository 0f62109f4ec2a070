# rknn_generate_test_model(<name> ARCH <arch> [EXTERNAL_DATA] [OUT_DIR <dir>])
#
# Generates <OUT_DIR>/<arch>.onnx, <arch>.input.npy and <arch>.expected.npy
# at build time with scripts/models/make_model.py (Debian's python3-onnx and
# numpy; fixed seed, byte-identical every time) and adds them to the
# `test_models` target. OUT_DIR defaults to ${PROJECT_BINARY_DIR}/models/<name>.
# Sets RKNN_MODEL_DIR_<name> in the parent scope.
function(rknn_generate_test_model name)
  cmake_parse_arguments(ARG "EXTERNAL_DATA" "ARCH;OUT_DIR" "" ${ARGN})
  if(NOT ARG_OUT_DIR)
    set(ARG_OUT_DIR "${PROJECT_BINARY_DIR}/models/${name}")
  endif()
  set(extra "")
  set(outputs "${ARG_OUT_DIR}/${ARG_ARCH}.onnx" "${ARG_OUT_DIR}/${ARG_ARCH}.input.npy"
              "${ARG_OUT_DIR}/${ARG_ARCH}.expected.npy")
  if(ARG_EXTERNAL_DATA)
    list(APPEND extra --external-data)
    list(APPEND outputs "${ARG_OUT_DIR}/${ARG_ARCH}.weights")
  endif()
  set(script_dir "${PROJECT_SOURCE_DIR}/scripts/models")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${RKNN_PYTHON} ${script_dir}/make_model.py --arch ${ARG_ARCH} --out ${ARG_OUT_DIR} ${extra}
    DEPENDS ${script_dir}/make_model.py ${script_dir}/numpy_reference.py
    COMMENT "Generating test model ${name} (${ARG_ARCH})"
    VERBATIM)
  add_custom_target(test_model_${name} DEPENDS ${outputs})
  if(NOT TARGET test_models)
    add_custom_target(test_models ALL)
  endif()
  add_dependencies(test_models test_model_${name})
  set(RKNN_MODEL_DIR_${name} "${ARG_OUT_DIR}" PARENT_SCOPE)
endfunction()

# rknn_generate_calibration_set(<name> COUNT <n> SIZE <pixels>)
#
# Writes <n> seeded random NHWC float32 samples and their dataset.txt into
# ${PROJECT_BINARY_DIR}/models/<name>/ (scripts/models/make_calibration.py),
# as part of `test_models`: the calibration data of the quantized whole-model
# tests and benchmarks. Sets RKNN_CALIBRATION_SET_<name> (the dataset.txt).
function(rknn_generate_calibration_set name)
  cmake_parse_arguments(ARG "" "COUNT;SIZE" "" ${ARGN})
  set(out_dir "${PROJECT_BINARY_DIR}/models/${name}")
  set(script "${PROJECT_SOURCE_DIR}/scripts/models/make_calibration.py")
  add_custom_command(
    OUTPUT "${out_dir}/dataset.txt"
    COMMAND ${RKNN_PYTHON} ${script} --out ${out_dir} --count ${ARG_COUNT} --size ${ARG_SIZE}
    DEPENDS ${script}
    COMMENT "Generating calibration set ${name} (${ARG_COUNT} samples, ${ARG_SIZE}x${ARG_SIZE})"
    VERBATIM)
  add_custom_target(calibration_set_${name} DEPENDS "${out_dir}/dataset.txt")
  add_dependencies(test_models calibration_set_${name})
  set(RKNN_CALIBRATION_SET_${name} "${out_dir}/dataset.txt" PARENT_SCOPE)
endfunction()
