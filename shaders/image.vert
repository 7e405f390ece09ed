#version 300 es
// Images and heatmaps are drawn as Dear ImGui quads; this is ImGui's own vertex stage with
// fixed attribute locations, so the image program can reuse ImGui's vertex buffer.
precision highp float;
layout (location = 0) in vec2 Position;
layout (location = 1) in vec2 UV;
layout (location = 2) in vec4 Color;
uniform mat4 ProjMtx;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
    Frag_UV = UV;
    Frag_Color = Color;
    gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
}
