// One-channel images on screen through the colormap shaders in shaders/: a texture per image,
// drawn inside Dear ImGui's draw list by switching to the image program for that one quad.
#pragma once
#include <GLES3/gl3.h>

#include "imgui.h"

namespace dt {

// overlay: the diverging colours, transparent at 0 and opaque at the ends, to lay over an image.
enum class Colormap { ink = 0, heat = 1, diverging = 2, overlay = 3 };

// A (h, w) single-channel texture; values are scaled from [lo, hi] to [0,1] on upload.
class ImageTexture {
 public:
  ImageTexture() = default;
  ~ImageTexture();
  ImageTexture(const ImageTexture&) = delete;
  ImageTexture& operator=(const ImageTexture&) = delete;
  void upload(const float* values, int h, int w, float lo, float hi, bool nearest = true);
  void upload_bytes(const unsigned char* bytes, int h, int w, bool nearest = true);
  ImTextureID id() const { return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex_)); }
  bool valid() const { return tex_ != 0; }
  unsigned uploads() const { return uploads_; }  // lets the frame know the picture changed

 private:
  void ensure(int h, int w, bool nearest);
  GLuint tex_ = 0;
  int h_ = 0, w_ = 0;
  unsigned uploads_ = 0;
};

// Compiles the image program; false (with the GL log in `error`) if the shaders do not build.
bool init_image_renderer(const char** error);

// Draws `texture` (or its part [uv0, uv1]) over [p0, p1] of the window's draw list with `map`.
void draw_image(ImDrawList* list, const ImageTexture& texture, ImVec2 p0, ImVec2 p1, Colormap map, ImVec2 uv0 = ImVec2(0, 0),
                ImVec2 uv1 = ImVec2(1, 1));

}  // namespace dt
