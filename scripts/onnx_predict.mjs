// Runs an ONNX model (from `digitrain_torch.py onnx`) in ONNX Runtime (onnxruntime-web's
// WebAssembly backend, under Node) on every MNIST test image and writes the CSV that
// `digitrain eval --predictions` writes: index, label, predicted class, 10 probabilities
// (the softmax of the model's "logits").
//
//   node scripts/onnx_predict.mjs MODEL.onnx MNIST_DIR OUT.csv
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';

function readIdx(file) {
  const b = fs.readFileSync(file);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0 || b[2] !== 8) throw new Error(`${file}: not an unsigned-byte idx file`);
  const dims = [];
  for (let d = 0; d < b[3]; d++) dims.push(b.readUInt32BE(4 + 4 * d));
  return { dims, data: b.subarray(4 + 4 * dims.length) };
}

function softmax(row) {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / sum);
}

async function main([model, dataDir, out]) {
  if (!out) throw new Error('usage: node scripts/onnx_predict.mjs MODEL.onnx MNIST_DIR OUT.csv');
  const images = readIdx(path.join(dataDir, 't10k-images-idx3-ubyte'));
  const labels = readIdx(path.join(dataDir, 't10k-labels-idx1-ubyte'));
  const [count, h, w] = images.dims;
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(fs.readFileSync(model));
  const rows = [];
  let classes = 0;
  for (let s = 0; s < count; s += 500) {
    const n = Math.min(500, count - s);
    const x = new Float32Array(n * h * w);
    for (let i = 0; i < x.length; i++) x[i] = images.data[s * h * w + i] / 255;
    const result = await session.run({ image: new ort.Tensor('float32', x, [n, 1, h, w]) });
    const logits = result.logits;
    classes = logits.dims[1];
    for (let i = 0; i < n; i++) {
      const p = softmax(Array.from(logits.data.subarray(i * classes, (i + 1) * classes)));
      const predicted = p.indexOf(Math.max(...p));
      rows.push(`${s + i},${labels.data[s + i]},${predicted},${p.map((v) => v.toPrecision(9)).join(',')}`);
    }
  }
  const header = ['index', 'label', 'predicted', ...Array.from({ length: classes }, (_, k) => `p${k}`)].join(',');
  fs.writeFileSync(out, `${header}\n${rows.join('\n')}\n`);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`onnx_predict.mjs: ${e.message}`);
  process.exit(1);
});
