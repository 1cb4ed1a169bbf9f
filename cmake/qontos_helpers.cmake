# qontos_unit_test(NAME SOURCES... LIBS...) builds a GoogleTest binary and registers
# each test case with CTest under the given LABEL.
function(qontos_test name)
  cmake_parse_arguments(T "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest_main qontos_warnings)
  target_compile_definitions(${name} PRIVATE
    QONTOS_CORPUS_DIR="${QONTOS_CORPUS_DIR}"
    QONTOS_DEVICES_DIR="${QONTOS_DEVICES_DIR}"
    QONTOS_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  gtest_discover_tests(${name} PROPERTIES LABELS ${T_LABEL} DISCOVERY_TIMEOUT 60)
endfunction()

function(qontos_benchmark name)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT QONTOS_BUILD_BENCHMARKS)
    return()
  endif()
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS} benchmark::benchmark_main qontos_warnings)
  target_compile_definitions(${name} PRIVATE
    QONTOS_CORPUS_DIR="${QONTOS_CORPUS_DIR}"
    QONTOS_DEVICES_DIR="${QONTOS_DEVICES_DIR}")
endfunction()
