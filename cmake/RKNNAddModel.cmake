# rknn_add_model(<target> MODEL <file>
#                [NAME <name>] [NAMESPACE <ns>]
#                [DATASET <file>] [QUANT <type>] [QUANT_METHOD layer|channel]
#                [QUANT_ALGORITHM normal|kl_divergence|mmse]
#                [MEAN_VALUES <v,v,v>...] [STD_VALUES <v,v,v>...] [REORDER_CHANNEL <c,c,c>...]
#                [INPUTS <tensor>...] [OUTPUTS <tensor>...] [INPUT_SHAPES <name=d0,d1,...>...]
#                [BATCH_SIZE <n>] [PRECOMPILE ON|OFF] [PLATFORM <chip>...]
#                [OPTIMIZATION_LEVEL 0-3] [CUSTOM_STRING <text>] [SYNC_LAYERS <layer>...]
#                [REPORT ON|OFF] [REPORT_INPUTS <file>...]
#                [ENCRYPT LEVEL 1|2|3 KEY_FILE <file> | KEY_ENV <variable>])
#
# Compiles an ONNX model with `rknnc compile` at build time and embeds it in
# <target>: the generated NAME.rknn.hpp declares namespace NS with Inputs,
# Outputs, RawOutputs, per-tensor metadata and class Model; NAME.rknn.cpp
# embeds NAME.rknn with an assembler .incbin. <target> gets the header's
# folder as a PRIVATE include directory and links RKNN::runtime PRIVATE.
#
#   MODEL            the .onnx file (relative paths: to the current source dir).
#   NAME             C++ name of the model; default: the model file's stem made
#                    a C identifier ("tiny-cnn.onnx" -> tiny_cnn).
#   NAMESPACE        namespace of the generated code, may be nested (a::b); default NAME.
#   DATASET          RKNN dataset file (one sample per line, one file per input).
#   QUANT            float32 | float16 | asymmetric_u8 | dynamic_fixed_point_i8 |
#                    dynamic_fixed_point_i16 (or the RKNN spellings
#                    asymmetric_quantized-u8, dynamic_fixed_point-8/-16); default float16.
#   QUANT_METHOD     layer | channel.
#   MEAN_VALUES, STD_VALUES, REORDER_CHANNEL
#                    one list item per model input, channel values separated by
#                    commas: MEAN_VALUES "127.5,127.5,127.5" "0,0,0". REORDER_CHANNEL
#                    also accepts the RKNN spelling "2 1 0". An input with any of
#                    them is an image: fed as std::uint8_t [N][H][W][C].
#   INPUTS, OUTPUTS  compile the sub-graph between these tensors.
#   INPUT_SHAPES     name=d0,d1,... for inputs with dynamic dimensions.
#   BATCH_SIZE       batch of the inputs (RKNN rknn_batch_size).
#   PRECOMPILE       ON: pre-compile for the platform (docs/precompile.md): fused steps,
#                    tiles and a memory plan stored in the artifact, loaded without graph
#                    work. Needs exactly one PLATFORM.
#   REPORT           ON: also write <NAME>.report/ beside the artifact (the RKNN
#                    eval_perf / eval_memory figures of the build): perf.txt and
#                    perf.json (`rknnc perf`: per-layer NPU time estimate, total,
#                    FPS), memory.txt and memory.json (`rknnc memory`).
#   REPORT_INPUTS    one sample, one file per model input (image or NHWC .npy):
#                    adds the accuracy analysis of the quantized model against
#                    float (`rknnc analyze`) to the report: error_analysis.txt
#                    and error_analysis.json. Needs an integer QUANT and DATASET.
#   PLATFORM         target chips, one compatibility group; default rk1808.
#   OPTIMIZATION_LEVEL  0..3 (default 3).
#   CUSTOM_STRING    stored in the artifact (rknn_query CUSTOM_STRING).
#   SYNC_LAYERS      layers after which a run may yield to other models' runs on a
#                    board (`--sync-layers`, RKNN export_rknn_sync_model;
#                    docs/protocol.md, "Segmented models").
#   ENCRYPT          encrypt the embedded artifact (docs/encryption.md): LEVEL 1
#                    weights, 2 graph and weights, 3 as 2 with an scrypt-derived
#                    key. The key comes from KEY_FILE (a path: 32 raw bytes or 64
#                    hex digits; level 3: the secret) or KEY_ENV (the NAME of an
#                    environment variable that must be set while the build runs).
#                    Only rknnc reads the key: the command line, generated files
#                    and depfile hold the path or the name, never the key. A new
#                    key file content rebuilds; a new KEY_ENV value does not
#                    (the build cannot see it): touch the model or rebuild clean.
#
# Generated files, in ${CMAKE_CURRENT_BINARY_DIR}/rknn/<NAME>/:
#   <NAME>.rknn  <NAME>.rknn.hpp  <NAME>.rknn.cpp  <NAME>.d (depfile)  <NAME>.options
# The depfile written by rknnc lists the model, its external data, the dataset
# and every file it names, and rknnc itself; <NAME>.options changes only when
# the options do, so a changed option recompiles with every generator.
#
# rknnc: RKNN_HOST_RKNNC when set (a cache variable, for cross builds: a host
# rknnc), else the RKNN::rknnc target (this tree or an installed package), else
# `rknnc` on the PATH.

# DEPFILE paths are relative to the current binary dir with Ninja too.
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

set(RKNN_QUANT_TYPES float32 float16 asymmetric_u8 dynamic_fixed_point_i8 dynamic_fixed_point_i16
    asymmetric_quantized-u8 dynamic_fixed_point-8 dynamic_fixed_point-16)
# What rknnc implements today; the quantization issue adds the integer types.
set(RKNN_QUANT_IMPLEMENTED float32 float16 asymmetric_u8 dynamic_fixed_point_i8 dynamic_fixed_point_i16)
set(RKNN_PLATFORMS rk1808 rk3399pro rv1109 rv1126 rk3566 rk3568 rk3588 rv1103 rv1106)

function(_rknn_model_error target message)
  message(FATAL_ERROR "rknn_add_model(${target}): ${message}")
endfunction()

# The rknnc command and what the custom command depends on for it.
function(_rknn_find_rknnc target out_command out_depends)
  if(RKNN_HOST_RKNNC)
    set(${out_command} "${RKNN_HOST_RKNNC}" PARENT_SCOPE)
    set(${out_depends} "${RKNN_HOST_RKNNC}" PARENT_SCOPE)
    return()
  endif()
  if(NOT CMAKE_CROSSCOMPILING AND TARGET RKNN::rknnc)
    get_target_property(aliased RKNN::rknnc ALIASED_TARGET)
    if(aliased)
      set(${out_command} "${aliased}" PARENT_SCOPE)
      set(${out_depends} "${aliased}" PARENT_SCOPE)
    else()
      set(${out_command} "RKNN::rknnc" PARENT_SCOPE)
      set(${out_depends} "RKNN::rknnc" PARENT_SCOPE)
    endif()
    return()
  endif()
  find_program(RKNN_HOST_RKNNC rknnc DOC "rknnc for the build host (cross builds)")
  if(NOT RKNN_HOST_RKNNC)
    _rknn_model_error(${target} "no rknnc: set RKNN_HOST_RKNNC to a host rknnc (cross builds) or put rknnc on the PATH")
  endif()
  set(${out_command} "${RKNN_HOST_RKNNC}" PARENT_SCOPE)
  set(${out_depends} "${RKNN_HOST_RKNNC}" PARENT_SCOPE)
endfunction()

# An absolute input path that exists, or that the build produces.
function(_rknn_input_file target option file out)
  get_filename_component(path "${file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_source_file_property(generated "${path}" GENERATED)
  string(FIND "${path}/" "${CMAKE_BINARY_DIR}/" in_build)
  if(NOT EXISTS "${path}" AND NOT generated AND NOT in_build EQUAL 0)
    _rknn_model_error(${target} "${option} file '${path}' does not exist")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

# --flag=item for each list item, after checking it against `regex`.
function(_rknn_per_item_args target option flag regex out)
  set(args ${${out}})
  foreach(item IN LISTS ARGN)
    string(STRIP "${item}" item)
    string(REGEX REPLACE "[ \t]+" "," item "${item}")
    if(NOT item MATCHES "${regex}")
      _rknn_model_error(${target} "${option} value '${item}' is malformed")
    endif()
    list(APPEND args "${flag}=${item}")  # one argument: a leading '-' is not taken for an option
  endforeach()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()

function(_rknn_check_choice target option value choices)
  if(NOT "${value}" IN_LIST choices)
    list(JOIN choices ", " known)
    _rknn_model_error(${target} "unknown ${option} '${value}'; expected one of: ${known}")
  endif()
endfunction()

# The rknnc compile options (everything but the files and names) from the parsed arguments.
function(_rknn_compile_args target out)
  set(number "-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?")
  set(args "")
  if(NOT DEFINED ARG_QUANT)
    set(ARG_QUANT float16)
  endif()
  _rknn_check_choice(${target} QUANT "${ARG_QUANT}" "${RKNN_QUANT_TYPES}")
  string(REPLACE "asymmetric_quantized-u8" "asymmetric_u8" canonical "${ARG_QUANT}")
  string(REGEX REPLACE "^dynamic_fixed_point-([0-9]+)$" "dynamic_fixed_point_i\\1" canonical "${canonical}")
  if(NOT canonical IN_LIST RKNN_QUANT_IMPLEMENTED)
    _rknn_model_error(${target} "QUANT ${ARG_QUANT} is not implemented by rknnc yet (available: ${RKNN_QUANT_IMPLEMENTED})")
  endif()
  list(APPEND args --quant ${canonical})
  if(canonical MATCHES "^(asymmetric_u8|dynamic_fixed_point_i8|dynamic_fixed_point_i16)$" AND NOT DEFINED ARG_DATASET)
    _rknn_model_error(${target} "QUANT ${ARG_QUANT} needs a calibration DATASET")
  endif()
  if(DEFINED ARG_QUANT_ALGORITHM)
    _rknn_check_choice(${target} QUANT_ALGORITHM "${ARG_QUANT_ALGORITHM}" "normal;kl_divergence;mmse")
    list(APPEND args --quant-algorithm ${ARG_QUANT_ALGORITHM})
  endif()
  if(DEFINED ARG_QUANT_METHOD)
    _rknn_check_choice(${target} QUANT_METHOD "${ARG_QUANT_METHOD}" "layer;channel")
    list(APPEND args --quant-method ${ARG_QUANT_METHOD})
  endif()
  _rknn_per_item_args(${target} MEAN_VALUES --mean "^${number}(,${number})*$" args ${ARG_MEAN_VALUES})
  _rknn_per_item_args(${target} STD_VALUES --std "^${number}(,${number})*$" args ${ARG_STD_VALUES})
  _rknn_per_item_args(${target} REORDER_CHANNEL --reorder "^[0-9]+(,[0-9]+)*$" args ${ARG_REORDER_CHANNEL})
  _rknn_per_item_args(${target} INPUT_SHAPES --input-shape "^[^=]+=[0-9]+(,[0-9]+)*$" args ${ARG_INPUT_SHAPES})
  if(ARG_INPUTS)
    list(JOIN ARG_INPUTS "," joined)
    list(APPEND args --inputs "${joined}")
  endif()
  if(ARG_OUTPUTS)
    list(JOIN ARG_OUTPUTS "," joined)
    list(APPEND args --outputs "${joined}")
  endif()
  if(DEFINED ARG_BATCH_SIZE)
    if(NOT ARG_BATCH_SIZE MATCHES "^[1-9][0-9]*$")
      _rknn_model_error(${target} "BATCH_SIZE '${ARG_BATCH_SIZE}' is not a positive integer")
    endif()
    list(APPEND args --batch-size ${ARG_BATCH_SIZE})
  endif()
  if(NOT ARG_PLATFORM)
    set(ARG_PLATFORM rk1808)
  endif()
  foreach(p IN LISTS ARG_PLATFORM)
    _rknn_check_choice(${target} PLATFORM "${p}" "${RKNN_PLATFORMS}")
    list(APPEND args --platform ${p})
  endforeach()
  if(DEFINED ARG_OPTIMIZATION_LEVEL)
    if(NOT ARG_OPTIMIZATION_LEVEL MATCHES "^[0-3]$")
      _rknn_model_error(${target} "OPTIMIZATION_LEVEL '${ARG_OPTIMIZATION_LEVEL}' must be 0, 1, 2 or 3")
    endif()
    list(APPEND args --optimization-level ${ARG_OPTIMIZATION_LEVEL})
  endif()
  if(DEFINED ARG_CUSTOM_STRING)
    list(APPEND args --custom-string "${ARG_CUSTOM_STRING}")
  endif()
  if(ARG_SYNC_LAYERS)
    list(JOIN ARG_SYNC_LAYERS "," sync_layers)
    list(APPEND args --sync-layers "${sync_layers}")
  endif()
  if(DEFINED ARG_PRECOMPILE AND NOT ARG_PRECOMPILE MATCHES "^(ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
    _rknn_model_error(${target} "PRECOMPILE '${ARG_PRECOMPILE}' must be ON or OFF")
  endif()
  if(ARG_PRECOMPILE)
    list(LENGTH ARG_PLATFORM platform_count)
    if(NOT platform_count EQUAL 1)
      _rknn_model_error(${target} "PRECOMPILE ON lowers the model for one platform; give exactly one PLATFORM (got: ${ARG_PLATFORM})")
    endif()
    list(APPEND args --precompile)
  endif()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()

function(rknn_add_model target)
  set(one_value NAME NAMESPACE MODEL DATASET QUANT QUANT_METHOD QUANT_ALGORITHM BATCH_SIZE PRECOMPILE OPTIMIZATION_LEVEL
      CUSTOM_STRING REPORT)
  set(multi_value MEAN_VALUES STD_VALUES REORDER_CHANNEL INPUTS OUTPUTS INPUT_SHAPES PLATFORM ENCRYPT REPORT_INPUTS
      SYNC_LAYERS)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "${one_value}" "${multi_value}")
  if(NOT TARGET ${target})
    _rknn_model_error(${target} "'${target}' is not a target; call add_executable/add_library first")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    _rknn_model_error(${target} "unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if("ENCRYPT" IN_LIST ARG_KEYWORDS_MISSING_VALUES)
    _rknn_encrypt_args(${target} encrypt_args encrypt_depends)  # fails with the expected form
  endif()
  list(REMOVE_ITEM ARG_KEYWORDS_MISSING_VALUES CUSTOM_STRING)  # an empty custom string is fine
  if(ARG_KEYWORDS_MISSING_VALUES)
    _rknn_model_error(${target} "no value given for ${ARG_KEYWORDS_MISSING_VALUES}")
  endif()
  if(NOT DEFINED ARG_MODEL)
    _rknn_model_error(${target} "MODEL is required")
  endif()
  _rknn_input_file(${target} MODEL "${ARG_MODEL}" model)

  if(NOT DEFINED ARG_NAME)
    get_filename_component(ARG_NAME "${model}" NAME_WLE)
    string(MAKE_C_IDENTIFIER "${ARG_NAME}" ARG_NAME)
  endif()
  if(NOT ARG_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    _rknn_model_error(${target} "NAME '${ARG_NAME}' is not a C++ identifier")
  endif()
  if(NOT DEFINED ARG_NAMESPACE)
    set(ARG_NAMESPACE ${ARG_NAME})
  endif()
  if(NOT ARG_NAMESPACE MATCHES "^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")
    _rknn_model_error(${target} "NAMESPACE '${ARG_NAMESPACE}' is not a C++ namespace name")
  endif()
  set(name ${ARG_NAME})
  get_property(taken DIRECTORY PROPERTY RKNN_MODEL_NAMES)
  if(name IN_LIST taken)
    _rknn_model_error(${target} "a model named '${name}' was already added in this directory; give a distinct NAME")
  endif()
  set_property(DIRECTORY APPEND PROPERTY RKNN_MODEL_NAMES ${name})

  _rknn_compile_args(${target} args)
  set(depends "${model}")
  if(DEFINED ARG_ENCRYPT)
    _rknn_encrypt_args(${target} encrypt_args encrypt_depends ${ARG_ENCRYPT})
    list(APPEND args ${encrypt_args})
    list(APPEND depends ${encrypt_depends})
  endif()
  if(DEFINED ARG_DATASET)
    _rknn_input_file(${target} DATASET "${ARG_DATASET}" dataset)
    list(PREPEND args --dataset "${dataset}")
    list(APPEND depends "${dataset}")
  endif()
  _rknn_find_rknnc(${target} rknnc rknnc_depends)

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/rknn/${name}")
  set(artifact "${dir}/${name}.rknn")
  set(header "${dir}/${name}.rknn.hpp")
  set(source "${dir}/${name}.rknn.cpp")
  set(depfile "${dir}/${name}.d")
  list(JOIN args " " args_text)
  _rknn_write_if_changed("${dir}/${name}.options" "${model} ${name} ${ARG_NAMESPACE} ${args_text}\n")

  add_custom_command(
    OUTPUT "${artifact}" "${header}" "${source}"
    COMMAND "${rknnc}" compile "${model}" -o "${artifact}" --name ${name} --namespace ${ARG_NAMESPACE}
            --codegen-dir "${dir}" --depfile "${depfile}" ${args}
    DEPENDS ${depends} "${dir}/${name}.options" ${rknnc_depends}
    DEPFILE "${depfile}"
    COMMENT "Compiling model ${name} for ${target}"
    VERBATIM)
  # Orders the custom command before <target> even when <target> lives in another directory.
  add_custom_target(rknn_model_${target}_${name} DEPENDS "${artifact}" "${header}" "${source}")
  add_dependencies(${target} rknn_model_${target}_${name})

  _rknn_add_generated_source(${target} "${dir}" ${name})
  target_sources(${target} PRIVATE "${header}")
  target_include_directories(${target} PRIVATE "${dir}")
  target_link_libraries(${target} PRIVATE RKNN::runtime)

  if(DEFINED ARG_REPORT AND NOT ARG_REPORT MATCHES "^(ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
    _rknn_model_error(${target} "REPORT '${ARG_REPORT}' must be ON or OFF")
  endif()
  if(ARG_REPORT OR DEFINED ARG_REPORT_INPUTS)
    _rknn_add_model_report(${target} ${name} "${model}" "${artifact}" "${dir}" "${rknnc}" "${rknnc_depends}"
                           "${args}" "${ARG_REPORT_INPUTS}")
  endif()

  # For rknn_add_model_test.
  set_property(TARGET ${target} APPEND PROPERTY RKNN_MODELS ${name})
  set_property(TARGET ${target} PROPERTY RKNN_MODEL_${name}_DIR "${dir}")
  set_property(TARGET ${target} PROPERTY RKNN_MODEL_${name}_NAMESPACE "${ARG_NAMESPACE}")
  set_property(TARGET ${target} PROPERTY RKNN_MODEL_${name}_TARGET rknn_model_${target}_${name})
endfunction()

# REPORT / REPORT_INPUTS: <dir>/<name>.report/, built with <target>. The
# estimates read the artifact as compiled; the accuracy analysis compiles the
# model again with the same options (float golden + quantized).
function(_rknn_add_model_report target name model artifact dir rknnc rknnc_depends args inputs)
  set(report "${dir}/${name}.report")
  set(outputs "${report}/perf.txt" "${report}/perf.json" "${report}/memory.txt" "${report}/memory.json")
  set(commands
      COMMAND "${rknnc}" perf "${artifact}" --output "${report}/perf.txt" --json "${report}/perf.json"
      COMMAND "${rknnc}" memory "${artifact}" --output "${report}/memory.txt" --json "${report}/memory.json")
  set(depends "${artifact}" ${rknnc_depends})
  if(inputs)
    if(NOT ARG_QUANT OR ARG_QUANT MATCHES "^(float16|float32)$" OR NOT DEFINED ARG_DATASET)
      _rknn_model_error(${target} "REPORT_INPUTS analyses a quantized model: give an integer QUANT and a DATASET")
    endif()
    set(files "")
    foreach(input IN LISTS inputs)
      _rknn_input_file(${target} REPORT_INPUTS "${input}" file)
      list(APPEND files "${file}")
    endforeach()
    # analyze takes the compile options that shape the model; those about the
    # artifact it does not write (encryption, custom string, pre-compiled
    # program) are left out, with their values.
    set(analyze_args "")
    set(skip_value 0)
    foreach(arg IN LISTS args)
      if(skip_value)
        set(skip_value 0)
      elseif(arg MATCHES "^--(encrypt-level|custom-string)$")
        set(skip_value 1)
      elseif(NOT arg MATCHES "^--(key-file=|key-env=|precompile$)")
        list(APPEND analyze_args "${arg}")
      endif()
    endforeach()
    list(APPEND outputs "${report}/error_analysis.txt" "${report}/error_analysis.json")
    list(APPEND commands COMMAND "${rknnc}" analyze "${model}" ${files} --output-dir "${report}" ${analyze_args})
    list(APPEND depends ${files})
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    ${commands}
    DEPENDS ${depends}
    COMMENT "Writing the report of model ${name}"
    VERBATIM)
  add_custom_target(rknn_report_${target}_${name} DEPENDS ${outputs})
  add_dependencies(${target} rknn_report_${target}_${name})
endfunction()

# ENCRYPT LEVEL n KEY_FILE path | KEY_ENV name -> rknnc options and the key
# file to depend on. Only the path or the variable's name is passed on.
function(_rknn_encrypt_args target out_args out_depends)
  set(usage "expected ENCRYPT LEVEL 1|2|3 KEY_FILE <file> | KEY_ENV <variable>")
  cmake_parse_arguments(ENC "" "LEVEL;KEY_FILE;KEY_ENV" "" ${ARGN})
  if(ENC_UNPARSED_ARGUMENTS)
    _rknn_model_error(${target} "ENCRYPT: unexpected '${ENC_UNPARSED_ARGUMENTS}'; ${usage}")
  endif()
  if(ENC_KEYWORDS_MISSING_VALUES OR NOT DEFINED ENC_LEVEL)
    _rknn_model_error(${target} "ENCRYPT: ${usage}")
  endif()
  if(NOT ENC_LEVEL MATCHES "^[123]$")
    _rknn_model_error(${target} "ENCRYPT LEVEL '${ENC_LEVEL}' must be 1, 2 or 3")
  endif()
  set(args --encrypt-level ${ENC_LEVEL})
  set(depends "")
  if(DEFINED ENC_KEY_FILE AND DEFINED ENC_KEY_ENV)
    _rknn_model_error(${target} "ENCRYPT: give KEY_FILE or KEY_ENV, not both")
  elseif(DEFINED ENC_KEY_FILE)
    _rknn_input_file(${target} KEY_FILE "${ENC_KEY_FILE}" key_file)
    list(APPEND args "--key-file=${key_file}")
    list(APPEND depends "${key_file}")
  elseif(DEFINED ENC_KEY_ENV)
    if(NOT ENC_KEY_ENV MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
      _rknn_model_error(${target} "ENCRYPT KEY_ENV '${ENC_KEY_ENV}' is not an environment variable name")
    endif()
    list(APPEND args "--key-env=${ENC_KEY_ENV}")
  else()
    _rknn_model_error(${target} "ENCRYPT: no key; ${usage}")
  endif()
  set(${out_args} "${args}" PARENT_SCOPE)
  set(${out_depends} "${depends}" PARENT_SCOPE)
endfunction()

# Writes the file only when its text changes, so its time stamp says when the
# options last changed (Make does not notice a changed command line).
function(_rknn_write_if_changed path text)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL text)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${text}")
endfunction()

# Adds <dir>/<name>.rknn.cpp to <target>: the object depends on the artifact
# (compilers' depfiles do not see .incbin) and the assembler finds it by name.
function(_rknn_add_generated_source target dir name)
  set(source "${dir}/${name}.rknn.cpp")
  target_sources(${target} PRIVATE "${source}")
  set_source_files_properties("${source}" "${dir}/${name}.rknn.hpp" TARGET_DIRECTORY ${target}
    PROPERTIES GENERATED TRUE)
  set_source_files_properties("${source}" TARGET_DIRECTORY ${target}
    PROPERTIES OBJECT_DEPENDS "${dir}/${name}.rknn" COMPILE_OPTIONS "-Wa,-I${dir}")
endfunction()
