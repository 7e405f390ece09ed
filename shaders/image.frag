#version 300 es
// One-channel images (digits, filters, feature maps, the confusion matrix) through a colormap.
// The texture holds values already scaled to [0,1]; nearest or linear sampling is the
// texture's own filter setting.
precision mediump float;
uniform sampler2D Texture;
uniform int Colormap;   // 0: ink (white on black, like MNIST), 1: heat (viridis-like), 2: diverging,
                        // 3: diverging overlay (transparent at zero, to lay over another image)
in vec2 Frag_UV;
in vec4 Frag_Color;
layout (location = 0) out vec4 Out_Color;

// A polynomial fit of viridis (dark blue, green, yellow), cheap and smooth.
vec3 viridis(float t) {
    const vec3 c0 = vec3(0.2777, 0.0054, 0.3341);
    const vec3 c1 = vec3(0.1051, 1.4046, 1.3846);
    const vec3 c2 = vec3(-0.3309, 0.2148, 0.0950);
    const vec3 c3 = vec3(-4.6342, -5.7991, -19.3324);
    const vec3 c4 = vec3(6.2283, 14.1799, 56.6906);
    const vec3 c5 = vec3(4.7764, -13.7451, -65.3530);
    const vec3 c6 = vec3(-5.4355, 4.6459, 26.3124);
    return c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * (c5 + t * c6)))));
}

// Blue for negative, white for zero, red for positive (0.5 is zero).
vec3 diverging(float t) {
    vec3 blue = vec3(0.19, 0.39, 0.80), red = vec3(0.80, 0.22, 0.19), white = vec3(0.96);
    return t < 0.5 ? mix(blue, white, t * 2.0) : mix(white, red, (t - 0.5) * 2.0);
}

void main() {
    float v = clamp(texture(Texture, Frag_UV).r, 0.0, 1.0);
    if (Colormap == 3) {
        vec3 c = v < 0.5 ? vec3(0.25, 0.55, 1.0) : vec3(1.0, 0.3, 0.2);
        Out_Color = vec4(c, min(1.0, abs(v - 0.5) * 2.4)) * Frag_Color;
        return;
    }
    vec3 c = Colormap == 1 ? viridis(v) : Colormap == 2 ? diverging(v) : vec3(v);
    Out_Color = vec4(c, 1.0) * Frag_Color;
}
