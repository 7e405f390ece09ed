// The first `count` MNIST training images and labels from the same idx files the other
// trainers read, as float pixels in [0,1] (NHWC, C = 1) and integer labels.
'use strict';
async function loadMnist(count) {
  async function idx(name) {
    const res = await fetch(`/mnist/${name}`);
    if (!res.ok) throw new Error(`/mnist/${name}: HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const view = new DataView(bytes.buffer);
    if (view.getUint16(0) !== 0 || bytes[2] !== 0x08) throw new Error(`${name}: not an unsigned-byte idx file`);
    const ndim = bytes[3];
    const dims = [];
    for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i));
    return { dims, body: bytes.subarray(4 + 4 * ndim) };
  }
  const images = await idx('train-images-idx3-ubyte');
  const labels = await idx('train-labels-idx1-ubyte');
  const [n, h, w] = images.dims;
  if (count > n) throw new Error(`asked for ${count} samples, the file has ${n}`);
  const x = new Float32Array(count * h * w);
  for (let i = 0; i < x.length; i++) x[i] = images.body[i] / 255;
  return { x, y: Int32Array.from(labels.body.subarray(0, count)), h, w };
}
