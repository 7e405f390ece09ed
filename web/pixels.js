// The image window.digitrain.predict takes: 784 numbers in [0, 1], a 28x28 digit row by row,
// white ink on black as MNIST has it. Checked here, at the edge, before any of it reaches the
// network: a NaN, an infinity, a string or a value far outside [0, 1] would otherwise come
// back as a confident but meaningless answer.

export const PIXELS = 784;

// The pixels as a Float32Array, or an Error that says what was wrong and what is accepted.
export function checkPixels(pixels) {
  const accepted = `predict takes ${PIXELS} numbers in [0, 1] (a 28x28 image, row by row)`;
  const isArray = Array.isArray(pixels) || (ArrayBuffer.isView(pixels) && !(pixels instanceof DataView));
  if (!isArray) return new Error(`${accepted}; it was given ${describe(pixels)}`);
  if (pixels.length !== PIXELS) return new Error(`${accepted}; it was given ${pixels.length} values`);
  const out = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) {
    const v = pixels[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      return new Error(`${accepted}; pixel ${i} (row ${Math.floor(i / 28)}, column ${i % 28}) is ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}

function describe(v) {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v)}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
