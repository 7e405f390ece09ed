# Writes OUTPUT, a header with each GLSL file in SOURCES (separated by "|") as a raw string constant named after
# the file (image.frag -> kShader_image_frag). Run at build time, so shaders stay .vert/.frag
# files that editors and validators understand.
set(text "// Generated from shaders/ by src/app/embed_shaders.cmake; edit the .vert/.frag files.\n#pragma once\n")
string(REPLACE "|" ";" SOURCES "${SOURCES}")
foreach(source ${SOURCES})
  get_filename_component(name ${source} NAME)
  string(REPLACE "." "_" name ${name})
  file(READ ${source} body)
  string(APPEND text "inline constexpr const char* kShader_${name} = R\"glsl(${body})glsl\";\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "${text}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
