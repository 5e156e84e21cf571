// Mote's training kernels for the tfjs wasm backend: plain loops compiled to wasm32 + SIMD128 by
// scripts/build-heap-kernels.mjs (clang), instantiated on tfjs-wasm's own memory (the module imports it), so
// that they read and write tensors where tfjs keeps them. Each replaces a chain of tfjs-wasm kernels that
// are one slow generic pass each (slices, pads, transposes, broadcasts) with one pass.
//
// The module owns no memory: no globals, no data segment, no stack use (every local is a wasm local; the
// build checks that the linked module has neither a data segment nor a use of __stack_pointer). Scratch
// space is a tensor the caller allocates.

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// Per-channel sums over `pixels` rows of `c` channels, in blocks of float partial sums added into doubles
// (scratch: 6·c floats, 8-byte aligned). With dy == 0: out[ci] = mean of (x − shift), out[c + ci] = mean of
// (x − shift)²; with dy: out[ci] = mean of dy, out[c + ci] = mean of dy·(x − shift).
EXPORT(channel_moments)
void channel_moments(const float *restrict x, const float *restrict dy, const float *restrict shift, int pixels, int c, float *restrict out, float *restrict scratch) {
  double *total1 = (double *)scratch;
  double *total2 = total1 + c;
  float *part1 = (float *)(total2 + c);
  float *part2 = part1 + c;
  for (int ci = 0; ci < c; ci++) { total1[ci] = 0; total2[ci] = 0; }
  for (int start = 0; start < pixels; start += 64) {
    const int end = start + 64 < pixels ? start + 64 : pixels;
    for (int ci = 0; ci < c; ci++) { part1[ci] = 0; part2[ci] = 0; }
    for (int q = start; q < end; q++) {
      const float *xr = x + (int64_t)q * c;
      if (dy) {
        const float *gr = dy + (int64_t)q * c;
        for (int ci = 0; ci < c; ci++) { const float g = gr[ci]; part1[ci] += g; part2[ci] += g * (xr[ci] - shift[ci]); }
      } else {
        for (int ci = 0; ci < c; ci++) { const float d = xr[ci] - shift[ci]; part1[ci] += d; part2[ci] += d * d; }
      }
    }
    for (int ci = 0; ci < c; ci++) { total1[ci] += part1[ci]; total2[ci] += part2[ci]; }
  }
  for (int ci = 0; ci < c; ci++) { out[ci] = (float)(total1[ci] / pixels); out[c + ci] = (float)(total2[ci] / pixels); }
}

// out = a·x + k per channel, or with y: out = a·x + b·y + k.
EXPORT(channel_affine)
void channel_affine(const float *restrict x, const float *restrict y, float *restrict out, int pixels, int c, const float *restrict a, const float *restrict b, const float *restrict k) {
  for (int q = 0; q < pixels; q++) {
    const float *xr = x + (int64_t)q * c;
    float *o = out + (int64_t)q * c;
    if (y) {
      const float *yr = y + (int64_t)q * c;
      for (int ci = 0; ci < c; ci++) o[ci] = a[ci] * xr[ci] + b[ci] * yr[ci] + k[ci];
    } else {
      for (int ci = 0; ci < c; ci++) o[ci] = a[ci] * xr[ci] + k[ci];
    }
  }
}

// Gradient of a max pool whose window equals its stride (no padding, windows may be cropped at the far
// edges): each dy goes to the first maximum of its window in row-major order (tfjs-cpu's and PyTorch's
// routing), every other input gets 0.
EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *dy, float *dx, int n, int h, int w, int c, int kh, int kw, int oh, int ow) {
  const int row = w * c;
  if (kh == 2 && kw == 2 && (c & 3) == 0) {
    // The common pool, four channels at a time: each input position is written once (the winner gets dy,
    // the others 0); the cropped last row/column, if any, gets 0.
    for (int b = 0; b < n; b++) {
      for (int y = 2 * oh; y < h; y++) for (int q = 0; q < row; q++) dx[(int64_t)(b * h + y) * row + q] = 0.0f;
      for (int oy = 0; oy < oh; oy++) {
        for (int r = 0; r < 2; r++) for (int q = 2 * ow * c; q < row; q++) dx[(int64_t)(b * h + 2 * oy + r) * row + q] = 0.0f;
        for (int ox = 0; ox < ow; ox++) {
          const float *g = dy + ((int64_t)(b * oh + oy) * ow + ox) * c;
          const int64_t base = ((int64_t)(b * h + 2 * oy) * w + 2 * ox) * c;
          for (int ci = 0; ci < c; ci += 4) {
            const int64_t a = base + ci;
            const v128_t v00 = wasm_v128_load(x + a), v01 = wasm_v128_load(x + a + c);
            const v128_t v10 = wasm_v128_load(x + a + row), v11 = wasm_v128_load(x + a + row + c);
            const v128_t m1 = wasm_f32x4_gt(v01, v00);
            const v128_t b1 = wasm_v128_bitselect(v01, v00, m1);
            const v128_t m2 = wasm_f32x4_gt(v10, b1);
            const v128_t b2 = wasm_v128_bitselect(v10, b1, m2);
            const v128_t m3 = wasm_f32x4_gt(v11, b2);
            const v128_t gv = wasm_v128_load(g + ci);
            const v128_t w3 = m3, w2 = wasm_v128_andnot(m2, m3), w1 = wasm_v128_andnot(wasm_v128_andnot(m1, m2), m3);
            const v128_t w0 = wasm_v128_not(wasm_v128_or(wasm_v128_or(m1, m2), m3));
            wasm_v128_store(dx + a, wasm_v128_and(gv, w0));
            wasm_v128_store(dx + a + c, wasm_v128_and(gv, w1));
            wasm_v128_store(dx + a + row, wasm_v128_and(gv, w2));
            wasm_v128_store(dx + a + row + c, wasm_v128_and(gv, w3));
          }
        }
      }
    }
    return;
  }
  const int64_t total = (int64_t)n * h * w * c;
  for (int64_t q = 0; q < total; q++) dx[q] = 0.0f;
  for (int b = 0; b < n; b++) {
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        const float *g = dy + ((int64_t)(b * oh + oy) * ow + ox) * c;
        const int64_t base = ((int64_t)(b * h + oy * kh) * w + ox * kw) * c;
        for (int ci = 0; ci < c; ci++) {
          int64_t best = base + ci;
          float value = x[best];
          for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
              const int64_t at = base + i * row + j * c + ci;
              if (x[at] > value) { best = at; value = x[at]; }
            }
          }
          dx[best] = g[ci];
        }
      }
    }
  }
}

// Filter gradient of a convolution with one input channel, a kernel 3 wide and a multiple of 16 filters
// (a network's first layer on images), without im2col or a matMul whose operands XNNPACK would re-pack:
// dw[i][j][0][o] = Σ_{b, oy, ox} x[b][oy·sh + i − top][ox·sw + j − left] · dy[b][oy][ox][o], 0 outside.
// Twelve vector accumulators (3 taps × 16 filters) per kernel row and block of 16 filters.
EXPORT(filter_grad_c1k3)
void filter_grad_c1k3(const float *x, const float *dy, float *dw, int n, int h, int w, int kh, int sh, int sw, int top, int left, int oh, int ow, int co) {
  for (int i = 0; i < kh; i++) {
    for (int ob = 0; ob < co; ob += 16) {
      v128_t a00 = wasm_f32x4_splat(0), a01 = a00, a02 = a00, a03 = a00;
      v128_t a10 = a00, a11 = a00, a12 = a00, a13 = a00;
      v128_t a20 = a00, a21 = a00, a22 = a00, a23 = a00;
      for (int b = 0; b < n; b++) {
        for (int oy = 0; oy < oh; oy++) {
          const int iy = oy * sh + i - top;
          if (iy < 0 || iy >= h) continue;
          const float *xr = x + (int64_t)(b * h + iy) * w;
          const float *g = dy + ((int64_t)(b * oh + oy) * ow) * co + ob;
          for (int ox = 0; ox < ow; ox++, g += co) {
            const int ix = ox * sw - left;
            const float x0 = ix >= 0 && ix < w ? xr[ix] : 0.0f;
            const float x1 = ix + 1 >= 0 && ix + 1 < w ? xr[ix + 1] : 0.0f;
            const float x2 = ix + 2 >= 0 && ix + 2 < w ? xr[ix + 2] : 0.0f;
            const v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4), g2 = wasm_v128_load(g + 8), g3 = wasm_v128_load(g + 12);
            const v128_t v0 = wasm_f32x4_splat(x0), v1 = wasm_f32x4_splat(x1), v2 = wasm_f32x4_splat(x2);
            a00 = wasm_f32x4_add(a00, wasm_f32x4_mul(v0, g0)); a01 = wasm_f32x4_add(a01, wasm_f32x4_mul(v0, g1));
            a02 = wasm_f32x4_add(a02, wasm_f32x4_mul(v0, g2)); a03 = wasm_f32x4_add(a03, wasm_f32x4_mul(v0, g3));
            a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(v1, g0)); a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(v1, g1));
            a12 = wasm_f32x4_add(a12, wasm_f32x4_mul(v1, g2)); a13 = wasm_f32x4_add(a13, wasm_f32x4_mul(v1, g3));
            a20 = wasm_f32x4_add(a20, wasm_f32x4_mul(v2, g0)); a21 = wasm_f32x4_add(a21, wasm_f32x4_mul(v2, g1));
            a22 = wasm_f32x4_add(a22, wasm_f32x4_mul(v2, g2)); a23 = wasm_f32x4_add(a23, wasm_f32x4_mul(v2, g3));
          }
        }
      }
      float *d0 = dw + (int64_t)(i * 3) * co + ob, *d1 = d0 + co, *d2 = d1 + co;
      wasm_v128_store(d0, a00); wasm_v128_store(d0 + 4, a01); wasm_v128_store(d0 + 8, a02); wasm_v128_store(d0 + 12, a03);
      wasm_v128_store(d1, a10); wasm_v128_store(d1 + 4, a11); wasm_v128_store(d1 + 8, a12); wasm_v128_store(d1 + 12, a13);
      wasm_v128_store(d2, a20); wasm_v128_store(d2 + 4, a21); wasm_v128_store(d2 + 8, a22); wasm_v128_store(d2 + 12, a23);
    }
  }
}
