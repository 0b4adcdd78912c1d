# relconv_add_document(<name> OUTPUT <file> INPUTS <markdown>...
#                      [FORMAT <format>] [OPTIONS <relconv options>...] [ALL])
#
# Adds a rule that converts INPUTS into OUTPUT with relconv, and a target <name> for it.
# Several inputs make one book. relconv writes a depfile beside the output listing every
# file the output was made from (inputs, images, style, fonts), so touching any of them
# rebuilds exactly this output, with Make and with Ninja. Relative INPUTS are taken from
# the current source folder, a relative OUTPUT goes to the current binary folder.
function(relconv_add_document name)
  cmake_parse_arguments(ARG "ALL" "OUTPUT;FORMAT" "INPUTS;OPTIONS" ${ARGN})
  if(NOT ARG_OUTPUT OR NOT ARG_INPUTS)
    message(FATAL_ERROR "relconv_add_document(${name}): OUTPUT and INPUTS are required")
  endif()
  if(TARGET relconv::relconv)
    set(exe relconv::relconv)
  elseif(TARGET relconv)
    set(exe relconv)
  else()
    message(FATAL_ERROR "relconv_add_document: no relconv executable target (find_package(relconv) first)")
  endif()
  set(output "${ARG_OUTPUT}")
  if(NOT IS_ABSOLUTE "${output}")
    set(output "${CMAKE_CURRENT_BINARY_DIR}/${output}")
  endif()
  set(inputs)
  foreach(in ${ARG_INPUTS})
    if(NOT IS_ABSOLUTE "${in}")
      set(in "${CMAKE_CURRENT_SOURCE_DIR}/${in}")
    endif()
    list(APPEND inputs "${in}")
  endforeach()
  set(format_args)
  if(ARG_FORMAT)
    set(format_args --to ${ARG_FORMAT})
  endif()
  set(all)
  if(ARG_ALL)
    set(all ALL)
  endif()
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${exe} ${format_args} ${ARG_OPTIONS} --depfile "${output}.d" -o "${output}" ${inputs}
    DEPENDS ${inputs} ${exe}
    DEPFILE "${output}.d"
    COMMENT "relconv: ${name}"
    VERBATIM)
  add_custom_target(${name} ${all} DEPENDS "${output}")
endfunction()
