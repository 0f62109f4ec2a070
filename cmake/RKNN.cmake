# The functions an application uses to embed models: rknn_add_model and
# rknn_add_model_test (one function per file, arguments documented at the top
# of each). Included by this project's top-level CMakeLists.txt and by the
# installed RKNNConfig.cmake.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/RKNNAddModel.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/RKNNAddModelTest.cmake)
