# SPDX-License-Identifier: BSD-3-Clause
# tinydtls_read_facts(FILE): sets a variable for every "NAME = value" line
# of FILE (# starts a comment line). CMakeLists.txt reads VERSION and
# build.conf with it, the files the Makefile includes, so that both builds
# take their versions and build facts from the same place.
function(tinydtls_read_facts file)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${file}")
  file(STRINGS "${file}" lines)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#" OR line MATCHES "^[ \t]*$")
      continue()
    endif()
    if(NOT line MATCHES "^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*:?=[ \t]*(.*[^ \t])?[ \t]*$")
      message(FATAL_ERROR "${file}: not a NAME = value line: ${line}")
    endif()
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" PARENT_SCOPE)
  endforeach()
endfunction()
