// The page's boot: starts the UI's WebAssembly module (ui.js) and the training worker
// (worker_client.js), carries messages between them through the page's record of the run
// (run.js), keeps the list of past runs in the UI (run_history.js, past_runs.js), keeps #status
// in words (status_text.js), the DOM controls and announcements for keyboard and screen-reader
// users in step (a11y.js) and exposes window.digitrain (api.js).
// Message types and run states come from protocol.js.

import { AccessibleControls } from './a11y.js';
import { digitrainApi } from './api.js';
import { Direction, MessageType, RunState } from './protocol.js';
import { pastRunsMessage } from './past_runs.js';
import { Run } from './run.js';
import { deletePastRun, listPastRuns, loadPastRun } from './run_history.js';
import { clearRunIf, loadRun, setAsideRun } from './saved_run.js';
import { StatusText, describe, phaseOf } from './status_text.js';
import { Ui } from './ui.js';
import { WorkerClient } from './worker_client.js';

// A tiny module with one SIMD instruction: does this browser run WebAssembly SIMD?
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

function deferred() {
  const d = {};
  d.promise = new Promise((resolve, reject) => { d.resolve = resolve; d.reject = reject; });
  return d;
}

function download(bytes, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// A model file larger than this is no model the page can hold (its 2 GB of WebAssembly memory
// also keeps the datasets and a run).
const MAX_MODEL_BYTES = 512 * 1024 * 1024;
const BUSY = [RunState.training, RunState.paused, RunState.loading];

function boot() {
  const canvas = document.getElementById('canvas');
  const run = new Run({
    isolated: self.crossOriginIsolated === true,
    simd: typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE),
    onPastRunsChanged: () => showPastRuns(),
  });
  const statusText = new StatusText(document.getElementById('status'),
    () => ({ state: run.status.state, phase: phaseOf(run.status), text: describe(run.status, run.loading) }));
  const ui = new Ui(canvas);
  // Before the UI starts: it takes the keys of its controls ahead of the UI's (a11y.js).
  const controls = new AccessibleControls({ form: document.getElementById('controls'),
    announcer: document.getElementById('announce'), canvas, ui });
  const worker = new WorkerClient();
  const uiUp = deferred(), workerUp = deferred(), failed = deferred();

  // The page's own failures and the worker's errors: in #status, in the UI, and ready rejects.
  function fail(message) {
    run.fail(message);
    statusText.update();
    failed.reject(new Error(message));
    ui.deliver({ type: MessageType.error, message });
  }

  function report(m) {
    if (m.type === MessageType.error) { fail(m.message); return; }
    if (m.type === MessageType.evaluate) { opened(m); return; }
    if (m.type === MessageType.quantize) { quantized(m); return; }
    if (m.type === MessageType.weights) int8 = null;  // made from the weights these replace
    run.take(m);
    if (m.type === MessageType.ready) workerUp.resolve();
    statusText.update();
    controls.report(m);
    if (m.type === MessageType.progress) ui.deliverProgress(m);
    else ui.deliver(m);
  }

  // The past runs as storage has them now, to the UI (and window.digitrain.pastRuns()). One
  // listing after the other: an older list never lands after a newer one.
  let pastRunsShown = Promise.resolve();
  function showPastRuns() {
    pastRunsShown = pastRunsShown.then(listPastRuns).then((runs) => {
      run.pastRuns = runs;
      ui.deliver(pastRunsMessage(runs));
    });
    return pastRunsShown;
  }

  // A past run becomes the run on screen: its weights go to the pad's model, its settings,
  // metrics and curves to the panels. Not while a run holds the worker (its weights would
  // replace the reopened ones at once).
  async function reopen(id) {
    const say = (message) => ui.deliver({ type: MessageType.notice, message });
    if ([RunState.training, RunState.paused, RunState.loading].includes(run.status.state)) {
      say('stop the run first: a past run cannot be reopened while one trains');
      return;
    }
    const { run: past, weights, problem } = await loadPastRun(id);
    if (problem) {
      say(`that past run could not be reopened: ${problem}`);
      return;
    }
    const refused = weights ? ui.restoreWeights(weights) : '';
    if (refused) {
      say(`that past run could not be reopened: its weights were refused: ${refused}`);
      return;
    }
    run.reopen(past, weights).forEach((m) => ui.deliver(m));
    statusText.update(true);
  }

  // Something worth knowing that is not an error: in the UI and spoken.
  function say(message) {
    ui.deliver({ type: MessageType.notice, message });
    controls.say(message);
  }

  // Model files the user opens (the Train panel's Open button, its DOM twin, or a file dropped
  // on the page) go to the worker, which evaluates them on the test set; its answer makes the
  // file's model the run on screen (opened()). A file that is not a digitrain model, or does
  // not fit, is refused with the reason and changes nothing.
  let opening = null;  // {name, bytes} while the worker evaluates it
  async function openModelFile(file) {
    if (!file) return;
    if (opening) { say(`still opening ${opening.name}`); return; }
    if (BUSY.includes(run.status.state)) {
      say('stop the run first: a model file cannot be opened while one trains');
      return;
    }
    if (file.size > MAX_MODEL_BYTES) {
      say(`${file.name} could not be opened: at ${(file.size / 1e6).toFixed(0)} MB it is larger than any model the page can hold; nothing changed`);
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      say(`${file.name} could not be read: ${e.message || e}; nothing changed`);
      return;
    }
    opening = { name: file.name, bytes };
    if (!worker.evaluate(file.name, bytes.slice())) {
      opening = null;
      say(`${file.name} could not be opened: the trainer is not ready yet; try again in a moment`);
    }
  }

  function opened(m) {
    const file = opening;
    opening = null;
    if (!file || file.name !== m.name) return;
    if (m.error) {
      say(`could not open ${m.error}; nothing changed`);  // the worker's message starts with the name
      return;
    }
    // The pad's model takes the weights first (as for a restored run); only then does the run
    // on screen change.
    const refused = ui.restoreWeights(file.bytes);
    if (refused) {
      say(`${m.name} could not be opened: its weights were refused: ${refused}; nothing changed`);
      return;
    }
    run.open(m, file.bytes).forEach((message) => ui.deliver(message));
    ui.deliver({ type: MessageType.predictions, dataset: m.dataset, predicted: m.predicted, probabilities: m.probabilities });
    statusText.update(true);
    controls.say(`opened ${m.name}: test accuracy ${(100 * m.epoch.testAccuracy).toFixed(2)}%`);
  }

  // The Quantise button: the weights on screen go to the worker, which answers with the int8
  // model's file and what it measured; the UI shows both and the pad answers with both models.
  let int8 = null;  // the latest int8 file, while the weights it was made from are on screen
  function quantize() {
    const answer = (error) => ui.deliver({ type: MessageType.quantize, error });
    if (!run.weights) { answer('there are no weights to quantise: train or open a model first'); return; }
    if (BUSY.includes(run.status.state)) { answer('stop the run first: its weights are still changing'); return; }
    if (!worker.send({ type: MessageType.quantize, name: `the ${run.preset()} model`, bytes: run.weights.slice() }))
      answer('the trainer is not ready yet; try again in a moment');
  }

  function quantized(m) {
    const { bytes, ...report } = m;
    int8 = m.error ? null : bytes;
    ui.deliver({ ...report, bytes: int8 ? int8.slice() : null });
    if (m.error) {
      controls.say(`could not quantise ${m.error}`);
      return;
    }
    const pct = (x) => `${(100 * x).toFixed(2)}%`;
    controls.say(`int8 model: test accuracy ${pct(m.int8Accuracy)} against ${pct(m.floatAccuracy)}, ` +
      `${(m.floatBytes / m.int8Bytes).toFixed(1)} times smaller`);
  }

  const picker = document.getElementById('model-file');
  picker.addEventListener('change', () => {
    openModelFile(picker.files[0]);
    picker.value = '';  // the same file chosen again is a new choice
  });
  // A file dragged over the page can be dropped anywhere on it.
  document.addEventListener('dragover', (e) => {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    document.body.classList.add('dropping');
  });
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dropping'); });
  document.addEventListener('drop', (e) => {
    document.body.classList.remove('dropping');
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    e.preventDefault();
    if (e.dataTransfer.files.length > 1) say('one model file at a time: the first one dropped is opened');
    openModelFile(e.dataTransfer.files[0]);
  });

  // Commands from the UI's panels: most go to the worker; saving and forgetting the run, the
  // past runs and opening a model file are the page's own.
  function command(m) {
    switch (m.type) {
      case MessageType.start: worker.start(run.startMessage(m.config)); break;
      case MessageType.pause: worker.pause(); break;
      case MessageType.resume: worker.resume(); break;
      case MessageType.stop: worker.stop(); break;
      case MessageType.set: worker.setLearningRate(m.lr); break;
      case MessageType.save:
        if (m.int8) { if (int8) download(int8, `digitrain-${run.preset()}-int8.safetensors`); } else if (run.weights) download(run.weights, `digitrain-${run.preset()}.safetensors`);
        break;
      case MessageType.quantize: quantize(); break;
      case MessageType.reset:
        run.reset();
        worker.stop();
        statusText.update(true);
        break;
      case MessageType.reopen: reopen(m.id); break;
      case MessageType.open: picker.click(); break;
      case MessageType.samples: worker.samples(m); break;
      // A deleted run is gone: also as the run a reload brings back.
      case MessageType.forget: Promise.all([deletePastRun(m.id), clearRunIf(m.id)]).then(showPastRuns); break;
      default:
        console.error(`the UI sent '${m.type}', which is not one of its commands (${Direction.uiToPage.join(', ')})`);
    }
  }

  ui.open({
    onCommand: command,
    onUp: () => { document.body.classList.add('ui-up'); controls.start(); uiUp.resolve(); },
    onFail: fail,
  });
  worker.open(location.search, { onReport: report, onFail: fail });

  // Ready when the UI draws, the worker is up with its data loaded and a saved run (if any)
  // is back; or failed, with the reason in #status.
  const ready = Promise.race([
    Promise.all([uiUp.promise, workerUp.promise]).then(async () => {
      const saved = await loadRun();
      let problem = saved.problem;
      if (saved.record) {
        // The pad's model takes the weights first: non-finite or foreign tensors are refused.
        const refused = ui.restoreWeights(saved.record.weights);
        if (refused) {
          problem = `its weights were refused: ${refused}`;
          await setAsideRun(saved.record);
        }
      }
      const toUi = problem ? run.setAside(problem) : run.restore(saved.record);
      toUi.forEach((m) => ui.deliver(m));
      await showPastRuns();
      statusText.update(true);
    }),
    failed.promise,
  ]);
  ready.catch(() => {});  // the failure is shown in #status; callers may still catch it

  // A page being hidden or left (a reload, a closed tab) keeps its run as it is now.
  addEventListener('pagehide', () => run.persistIfRunning());
  document.addEventListener('visibilitychange', () => { if (document.hidden) run.persistIfRunning(); });

  window.digitrain = digitrainApi({ ready, run, ui, worker, pastRuns: {
    list: () => pastRunsShown.then(() => run.pastRuns),
    reopen: (id) => command({ type: MessageType.reopen, id }),
    forget: (id) => command({ type: MessageType.forget, id }),
  } });
  statusText.update();
}

boot();
