# Cross toolchain for 64-bit ARM Linux boards (RK1808, RK3399Pro, RK356x, RK3588)
# with Debian's g++-aarch64-linux-gnu:
#
#   cmake -S . -B build/aarch64 -G Ninja -DCMAKE_BUILD_TYPE=Release \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake \
#     -DRKNN_BUILD_COMPILER=OFF -DRKNN_BUILD_TESTS=OFF -DRKNN_RUNTIME_DECRYPTION=OFF
#   cmake --build build/aarch64 --target rknn_server
#
# The results run on a board, or here under qemu-user:
#   qemu-aarch64 -L /usr/aarch64-linux-gnu build/aarch64/device/server/rknn_server
#
# Libraries come from the cross sysroot (/usr/aarch64-linux-gnu); programs
# (flatc) from the build host. Debian's cross compiler also searches
# /usr/include last, which is how the header-only flatbuffers package is found.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(RKNN_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${RKNN_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${RKNN_CROSS_TRIPLE}-g++)

set(CMAKE_FIND_ROOT_PATH /usr/${RKNN_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# try_run and ctest run target programs through qemu-user when it is installed.
find_program(RKNN_QEMU_AARCH64 qemu-aarch64)
if(RKNN_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${RKNN_QEMU_AARCH64} -L /usr/${RKNN_CROSS_TRIPLE})
endif()
