# Warnings (as errors when MOMENTUM_WERROR) and the sanitizer configuration, per target:
# never through global CMAKE_CXX_FLAGS.
function(momentum_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false stringop-overflow/array-bounds writes inside Eigen's vectorized
    # fixed-size 2x2 code (GCC bug 106199 and relatives); the code is correct.
    target_compile_options(${target} PRIVATE -Wno-stringop-overflow -Wno-array-bounds)
  endif()
  if(MOMENTUM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(MOMENTUM_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()
