// digitrain's keras-cnn preset as a tf.layers model (conv 32 3x3 relu, maxpool 2, conv 64 3x3
// relu, maxpool 2, conv 64 3x3 relu, flatten, dense 64 relu, dense 10 softmax; Adam 1e-3),
// trained with trainOnBatch on real MNIST. Warm-up steps (shader compilation, kernel
// selection) are not timed; each timed step ends when its loss has reached JavaScript, so
// asynchronous backends are fully counted.
'use strict';
window.trainKerasCnn = async function trainKerasCnn({ backend, batch, warmupSteps, timedSteps }) {
  if (backend === 'wasm') tf.wasm.setWasmPaths('/tfjs-wasm/');
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' failed to initialise`);
  await tf.ready();
  const data = await loadMnist((warmupSteps + timedSteps) * batch);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [data.h, data.w, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const px = data.h * data.w;
  const step = async (i) => {
    const x = tf.tensor4d(data.x.subarray(i * batch * px, (i + 1) * batch * px), [batch, data.h, data.w, 1]);
    const y = tf.tensor1d(data.y.subarray(i * batch, (i + 1) * batch), 'float32');
    try { return await model.trainOnBatch(x, y); } finally { x.dispose(); y.dispose(); }
  };
  for (let i = 0; i < warmupSteps; i++) await step(i);
  const t0 = performance.now();
  let loss = null;
  for (let i = warmupSteps; i < warmupSteps + timedSteps; i++) loss = await step(i);
  const seconds = (performance.now() - t0) / 1000;
  return {
    backend: tf.getBackend(), tfjs_version: tf.version.tfjs, samples: timedSteps * batch, seconds,
    samples_per_second: (timedSteps * batch) / seconds, last_loss: Number(loss),
  };
};
