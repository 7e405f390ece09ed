// Per-kernel GFLOP/s of the engine's wasm SIMD128 kernels in this Chromium, each against the
// same browser's peak (a register-resident multiply-add loop in the same module).
import { openPage } from './chromium.mjs';

export async function benchWasmKernels({ browser, baseUrl, quick, timeoutMs = 600000 }) {
  const { page, log, close } = await openPage(browser, `${baseUrl}/bench/browser/kernels.html`, { timeoutMs });
  try {
    const j = await page.evaluate((q) => window.runKernelBench(q), quick);
    return {
      peak_gflops: j.peak_gflops, simd_width: j.simd_width,
      kernels: j.kernels.map((k) => ({ name: k.name.replace(/\s+/g, ' ').trim(), gflops: k.simd_gflops, fraction_of_peak: k.simd_gflops / j.peak_gflops })),
      profiles: j.profiles || [],
    };
  } catch (e) {
    const msg = e.message.split('\n')[0].replace(/^page\.evaluate: (Error: )?/, '');
    throw new Error(log.length ? `${msg} (console: ${log.slice(-2).join(' / ')})` : msg);
  } finally {
    await close();
  }
}
