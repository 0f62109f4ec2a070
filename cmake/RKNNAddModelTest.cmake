# rknn_add_model_test(NAME <test> MODEL_TARGET <target> [MODEL_NAME <name>]
#                     INPUTS <file.npy|file.png>... EXPECT <file.npy>...
#                     [COSINE <x>] [ATOL <x>] [DEVICE])
#
# Registers a ctest test (label `simulator`) that runs a model embedded with
# rknn_add_model(<target> ...) on the given inputs and compares each output
# with the expected .npy.
#
#   NAME          the test's name.
#   MODEL_TARGET  the target that rknn_add_model embedded the model into.
#   MODEL_NAME    the model's NAME; may be left out when the target has one model.
#   INPUTS        one file per model input, in order: .npy float32 in the model's
#                 layout, .npy uint8 NHWC pixels (an image input), or .png.
#   EXPECT        one .npy (float32 or float64) per model output, in order.
#   COSINE        pass when each output's cosine similarity is >= x.
#   ATOL          pass when each output's largest absolute difference is <= x.
#                 Neither given: COSINE 0.999.
#   DEVICE        also register <test>_on_device (label `device`): the same
#                 model and inputs on a board, whose outputs must be
#                 byte-identical to the simulator's and pass the same checks.
#                 The board is RKNN_TEST_DEVICE (tcp://host:port) at test
#                 time, else this tree's emulated aarch64 board (tests/device);
#                 with neither the test reports itself skipped.
#
# One runner executable per model, rknn_test_<target>_<name>, built from
# rknn_model_test_main.cpp.in with the model's generated sources (it embeds
# the same artifact); it prints the figures of every output.

set(RKNN_MODEL_TEST_TEMPLATE "${CMAKE_CURRENT_LIST_DIR}/rknn_model_test_main.cpp.in")

# The runner executable for <target>'s model <name>, created on first use.
function(_rknn_model_test_runner target name out)
  set(runner rknn_test_${target}_${name})
  set(${out} ${runner} PARENT_SCOPE)
  if(TARGET ${runner})
    return()
  endif()
  get_target_property(dir ${target} RKNN_MODEL_${name}_DIR)
  get_target_property(ns ${target} RKNN_MODEL_${name}_NAMESPACE)
  get_target_property(generate ${target} RKNN_MODEL_${name}_TARGET)
  find_path(RKNN_STB_INCLUDE_DIR stb/stb_image.h DOC "stb_image for PNG inputs of model tests")
  set(RKNN_TEST_HAVE_STB 0)
  if(RKNN_STB_INCLUDE_DIR)
    set(RKNN_TEST_HAVE_STB 1)
  endif()
  set(RKNN_TEST_MODEL_NAME ${name})
  set(RKNN_TEST_MODEL_NAMESPACE ${ns})
  set(main "${CMAKE_CURRENT_BINARY_DIR}/rknn_test/${target}_${name}_main.cpp")
  configure_file("${RKNN_MODEL_TEST_TEMPLATE}" "${main}" @ONLY)
  add_executable(${runner} "${main}")
  if(RKNN_TEST_HAVE_STB)
    target_include_directories(${runner} SYSTEM PRIVATE "${RKNN_STB_INCLUDE_DIR}")
  endif()
  _rknn_add_generated_source(${runner} "${dir}" ${name})
  target_include_directories(${runner} PRIVATE "${dir}")
  target_link_libraries(${runner} PRIVATE RKNN::runtime)
  add_dependencies(${runner} ${generate})
endfunction()

function(rknn_add_model_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "DEVICE" "NAME;MODEL_TARGET;MODEL_NAME;COSINE;ATOL" "INPUTS;EXPECT")
  if(NOT ARG_NAME)
    message(FATAL_ERROR "rknn_add_model_test: NAME is required")
  endif()
  set(where "rknn_add_model_test(${ARG_NAME})")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL_TARGET OR NOT TARGET ${ARG_MODEL_TARGET})
    message(FATAL_ERROR "${where}: MODEL_TARGET must name a target with rknn_add_model")
  endif()
  get_target_property(models ${ARG_MODEL_TARGET} RKNN_MODELS)
  if(NOT models)
    message(FATAL_ERROR "${where}: ${ARG_MODEL_TARGET} has no model; call rknn_add_model first")
  endif()
  if(NOT ARG_MODEL_NAME)
    list(LENGTH models count)
    if(NOT count EQUAL 1)
      message(FATAL_ERROR "${where}: ${ARG_MODEL_TARGET} has models ${models}; give MODEL_NAME")
    endif()
    set(ARG_MODEL_NAME ${models})
  endif()
  if(NOT ARG_MODEL_NAME IN_LIST models)
    message(FATAL_ERROR "${where}: ${ARG_MODEL_TARGET} has no model '${ARG_MODEL_NAME}' (it has: ${models})")
  endif()
  if(NOT ARG_INPUTS OR NOT ARG_EXPECT)
    message(FATAL_ERROR "${where}: INPUTS and EXPECT are required")
  endif()

  set(args "")
  if(DEFINED ARG_COSINE)
    list(APPEND args --cosine ${ARG_COSINE})
  endif()
  if(DEFINED ARG_ATOL)
    list(APPEND args --atol ${ARG_ATOL})
  endif()
  foreach(kind INPUTS EXPECT)
    string(TOLOWER "--${kind}" flag)
    string(REPLACE "--inputs" "--input" flag "${flag}")
    list(APPEND args ${flag})
    foreach(file IN LISTS ARG_${kind})
      get_filename_component(file "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND args "${file}")
    endforeach()
  endforeach()
  _rknn_model_test_runner(${ARG_MODEL_TARGET} ${ARG_MODEL_NAME} runner)
  add_test(NAME ${ARG_NAME} COMMAND ${runner} ${args})
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS simulator)
  if(ARG_DEVICE)
    # Exit code 77: no board, reported as skipped.
    add_test(NAME ${ARG_NAME}_on_device COMMAND ${runner} --device ${args})
    set_tests_properties(${ARG_NAME}_on_device PROPERTIES LABELS device SKIP_RETURN_CODE 77)
    get_property(fixture GLOBAL PROPERTY RKNN_TEST_BOARD_FIXTURE)
    if(fixture)  # this tree's emulated board
      get_property(device_file GLOBAL PROPERTY RKNN_TEST_BOARD_DEVICE_FILE)
      set_tests_properties(${ARG_NAME}_on_device PROPERTIES FIXTURES_REQUIRED ${fixture} RESOURCE_LOCK ${fixture}
        ENVIRONMENT "RKNN_TEST_DEVICE_FILE=${device_file}")
    endif()
  endif()
endfunction()
