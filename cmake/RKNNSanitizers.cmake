# With RKNN_SANITIZE=ON every target in this project is built and linked with
# AddressSanitizer and UndefinedBehaviorSanitizer; UB aborts the test.
if(RKNN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
