# rknn_set_warnings(<target>)
#
# Our own code builds with warnings as errors. Third-party headers come in as
# SYSTEM includes so their warnings do not count.
function(rknn_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror
    -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Wmissing-declarations
    # GCC 12 reports false -Wrestrict positives inside libstdc++'s string
    # concatenation at -O3 (GCC bug 105329).
    -Wno-restrict)
endfunction()
