#include "app/image_renderer.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "shaders.h"  // generated from shaders/ at build time

namespace dt {

namespace {

struct ImageProgram {
  GLuint program = 0;
  GLint proj = -1, colormap = -1, texture = -1;
};

ImageProgram& image_program() {
  static ImageProgram p;  // one GL program for the page's single context
  return p;
}

GLuint compile(GLenum kind, const char* source, std::string* log) {
  GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &source, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char buf[1024] = {};
    glGetShaderInfoLog(s, sizeof buf, nullptr, buf);
    *log = buf;
  }
  return s;
}

// Runs inside ImGui's renderer, just before the image's quad: switch to the image program
// with ImGui's projection and vertex layout. The next callback (ResetRenderState) puts
// ImGui's own program back.
void use_image_program(const ImDrawList*, const ImDrawCmd* cmd) {
  const ImageProgram& p = image_program();
  const ImDrawData* dd = ImGui::GetDrawData();
  const float L = dd->DisplayPos.x, R = dd->DisplayPos.x + dd->DisplaySize.x;
  const float T = dd->DisplayPos.y, B = dd->DisplayPos.y + dd->DisplaySize.y;
  const float ortho[4][4] = {{2.0f / (R - L), 0, 0, 0},
                             {0, 2.0f / (T - B), 0, 0},
                             {0, 0, -1, 0},
                             {(R + L) / (L - R), (T + B) / (B - T), 0, 1}};
  glUseProgram(p.program);
  glUniformMatrix4fv(p.proj, 1, GL_FALSE, &ortho[0][0]);
  glUniform1i(p.texture, 0);
  glUniform1i(p.colormap, static_cast<int>(reinterpret_cast<intptr_t>(cmd->UserCallbackData)));
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, pos));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, uv));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, col));
}

}  // namespace

ImageTexture::~ImageTexture() {
  if (tex_) glDeleteTextures(1, &tex_);
}

void ImageTexture::ensure(int h, int w, bool nearest) {
  if (!tex_) glGenTextures(1, &tex_);
  glBindTexture(GL_TEXTURE_2D, tex_);
  const GLint filter = nearest ? GL_NEAREST : GL_LINEAR;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  h_ = h;
  w_ = w;
}

void ImageTexture::upload_bytes(const unsigned char* bytes, int h, int w, bool nearest) {
  ensure(h, w, nearest);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, bytes);
  ++uploads_;
}

void ImageTexture::upload(const float* values, int h, int w, float lo, float hi, bool nearest) {
  std::vector<unsigned char> bytes(static_cast<size_t>(h) * w);
  const float scale = hi > lo ? 255.0f / (hi - lo) : 0.0f;
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<unsigned char>(std::clamp((values[i] - lo) * scale + 0.5f, 0.0f, 255.0f));
  upload_bytes(bytes.data(), h, w, nearest);
}

bool init_image_renderer(const char** error) {
  static std::string log;
  ImageProgram& p = image_program();
  GLuint vs = compile(GL_VERTEX_SHADER, kShader_image_vert, &log);
  GLuint fs = compile(GL_FRAGMENT_SHADER, kShader_image_frag, &log);
  p.program = glCreateProgram();
  glAttachShader(p.program, vs);
  glAttachShader(p.program, fs);
  glLinkProgram(p.program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(p.program, GL_LINK_STATUS, &ok);
  if (!ok) {
    if (log.empty()) {
      char buf[1024] = {};
      glGetProgramInfoLog(p.program, sizeof buf, nullptr, buf);
      log = buf;
    }
    *error = log.c_str();
    return false;
  }
  p.proj = glGetUniformLocation(p.program, "ProjMtx");
  p.colormap = glGetUniformLocation(p.program, "Colormap");
  p.texture = glGetUniformLocation(p.program, "Texture");
  return true;
}

void draw_image(ImDrawList* list, const ImageTexture& texture, ImVec2 p0, ImVec2 p1, Colormap map, ImVec2 uv0, ImVec2 uv1) {
  if (!texture.valid()) return;
  list->AddCallback(use_image_program, reinterpret_cast<void*>(static_cast<intptr_t>(map)));
  list->AddImage(texture.id(), p0, p1, uv0, uv1);
  list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace dt
