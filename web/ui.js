// The UI's WebAssembly module (Dear ImGui on WebGL2, digitrain-app.js): starts it on the
// canvas, feeds it the page's messages and the pointer, carries its commands out, and answers
// the questions window.digitrain asks it (predict, the pad, the confusion cells).

import createAppModule from './digitrain-app.js';
import { checkPixels, PIXELS } from './pixels.js';
import { MessageType } from './protocol.js';

// Progress arrives every ~50 ms; the UI shows it at most 5 times a second, since every change
// costs a redraw and, with software WebGL, CPU that training would use.
const PROGRESS_EVERY_MS = 200;
// A wheel "line" (Firefox's unit for mouse wheels) in CSS pixels.
const WHEEL_LINE_PX = 16;

export class Ui {
  constructor(canvas) {
    this.canvas = canvas;
    this.app = null;           // the module, once it has loaded
    this.early = [];           // messages that arrive before it has
    this.pendingProgress = null;
    this.progressTimer = 0;
    this.onAppLoaded = () => {};
  }

  // Starts the module. onCommand(message): a command from the panels (Direction.uiToPage).
  // onUp(): the UI draws. onFail(text): it cannot start, or stopped.
  open({ onCommand, onUp, onFail }) {
    // The UI's WebGL2 context, made here so that it keeps its pixels between frames
    // (preserveDrawingBuffer): while a stroke is drawn the UI redraws only the pad's region.
    // Emscripten's GLFW then takes this context rather than making its own.
    this.canvas.getContext('webgl2', { alpha: true, depth: false, stencil: false, antialias: false, preserveDrawingBuffer: true });
    this.followKeyboard();
    createAppModule({
      canvas: this.canvas,
      onCommand: (json) => onCommand(JSON.parse(json)),
      onUiReady: (error) => (error ? onFail(`the user interface cannot start: ${error}`) : onUp()),
      onAbort: (what) => onFail(`the user interface stopped: ${what}`),
      onKeyboardLeave: (direction) => this.leaveCanvas(direction),
      printErr: (text) => console.warn(text),
    }).then((module) => {
      this.app = module;
      this.onAppLoaded();
      this.early.splice(0).forEach((m) => this.deliver(m));
    }, (e) => onFail(`the user interface cannot start: ${e.message || e}`));
    this.followPointer();
    // While a run trains the UI's frames sleep between progress pictures: a new size (a
    // resized or zoomed window, a turned phone) is drawn at once all the same.
    window.addEventListener('resize', () => { if (this.app) this.app._app_wake(); });
  }

  // One message for the UI (types in protocol.js, Direction.pageToUi); bytes go through their
  // own calls, the rest as JSON.
  deliver(m) {
    if (!this.app) { this.early.push(m); return; }
    if (m.type !== MessageType.progress) this.flushProgress();  // keep the order: progress before what follows it
    const app = this.app;
    switch (m.type) {
      case MessageType.weights: this.withBytes(m.bytes, (p) => app._app_set_weights(p, m.bytes.length)); return;
      case MessageType.predictions:
        this.withBytes(m.predicted, (p) => app._app_set_predictions(p, m.predicted.length));
        if (m.probabilities) {
          const bytes = new Uint8Array(m.probabilities.buffer, m.probabilities.byteOffset, m.probabilities.byteLength);
          this.withBytes(bytes, (p) => app._app_set_probabilities(p, m.probabilities.length));
        }
        return;
      case MessageType.samples: {
        const { images, labels, type: _type, ...meta } = m;
        this.withBytes(images || new Uint8Array(0), (pi) => this.withBytes(labels || new Uint8Array(0), (pl) =>
          app.ccall('app_set_samples', null, ['string', 'number', 'number', 'number'], [JSON.stringify(meta), pi, pl, labels ? labels.length : 0])));
        return;
      }
      case MessageType.quantize: {
        // The int8 model first, so that its report finds it in place.
        const { bytes, ...report } = m;
        if (bytes && bytes.length) this.withBytes(bytes, (p) => app._app_set_int8(p, bytes.length));
        app.ccall('app_on_message', null, ['string'], [JSON.stringify(report)]);
        return;
      }
      case MessageType.testset:
        this.testset = { dataset: m.dataset, images: m.images, labels: m.labels };  // for window.digitrain.testSample
        this.withBytes(m.images, (pi) => this.withBytes(m.labels, (pl) =>
          app.ccall('app_set_testset', null, ['string', 'number', 'number', 'number'], [m.dataset, pi, pl, m.labels.length])));
        return;
      default: app.ccall('app_on_message', null, ['string'], [JSON.stringify(m)]);
    }
  }

  // Progress, at most every PROGRESS_EVERY_MS: the latest one wins.
  deliverProgress(m) {
    this.pendingProgress = m;
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = 0;
      this.flushProgress();
    }, PROGRESS_EVERY_MS);
  }

  flushProgress() {
    const p = this.pendingProgress;
    this.pendingProgress = null;
    if (p) this.deliver(p);
  }

  // ---- questions from window.digitrain ----------------------------------------------------
  predict(pixels) {
    const app = this.app;
    if (!app) throw new Error('predict: the user interface has not started yet (await window.digitrain.ready)');
    const image = checkPixels(pixels);
    if (image instanceof Error) throw image;
    const p = app._malloc(PIXELS * 4);
    app.HEAPF32.set(image, p >> 2);
    try { return this.prediction(app._app_predict(p)); } finally { app._free(p); }
  }

  // The weights of a saved run for the pad's model: '' when taken, else why not.
  restoreWeights(bytes) {
    let error = '';
    this.withBytes(bytes, (p) => { error = this.app.UTF8ToString(this.app._app_restore_weights(p, bytes.length)); });
    return error;
  }

  lastPrediction() { return this.app ? this.prediction(this.app._app_last_prediction()) : null; }

  clearPad() { if (this.app) this.app._app_clear_pad(); }

  // The pad's rectangle in CSS pixels of the page.
  padRect() {
    if (!this.app) return null;
    const [x, y, width, height] = this.readFloats(this.app._app_pad_rect(), 4);
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + x, y: r.top + y, width, height };
  }

  // A confusion-matrix cell's rectangle in CSS pixels of the page, null before one is shown.
  confusionCellRect(truth, predicted) {
    if (!this.app) return null;
    const [x, y, width] = this.readFloats(this.app._app_heatmap_rect(), 4);
    if (!width) return null;
    const r = this.canvas.getBoundingClientRect(), cell = width / 10;
    return { x: r.left + x + predicted * cell, y: r.top + y + truth * cell, width: cell, height: cell };
  }

  // The selected confusion cell and how many of its test images are shown, or null.
  selectedCell() {
    if (!this.app) return null;
    const [truth, predicted, shown] = this.readFloats(this.app._app_selected_cell(), 3);
    return truth < 0 ? null : { truth, predicted, shown };
  }

  // ---- where things are, for tests ----------------------------------------------------------
  // A named control's rectangle ("Start", "Continue", "Save", ...) in CSS pixels of the page, null when not shown.
  widgetRect(name) {
    if (!this.app) return null;
    const [x, y, width, height] = this.readFloats(this.app.ccall('app_widget_rect', 'number', ['string'], [name]), 4);
    if (!width) return null;
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + x, y: r.top + y, width, height };
  }

  // A window's scrolling and place in CSS pixels, null when it is not shown.
  windowScroll(name) {
    if (!this.app) return null;
    const [scrollY, maxScrollY, x, y, width, height] = this.readFloats(this.app.ccall('app_window_scroll', 'number', ['string'], [name]), 6);
    return width ? { scrollY, maxScrollY, x, y, width, height } : null;
  }

  // Windows whose contents are wider than they are, as text ('' when everything fits).
  clipped() { return this.app ? this.app.ccall('app_clipped', 'string', [], []) : ''; }

  // The named control with keyboard focus ('' for none).
  focusedControl() { return this.app ? this.app.ccall('app_focused_control', 'string', [], []) : ''; }
  testSample(n) {
    const t = this.testset;
    if (!t || !Number.isInteger(n) || n < 0 || n >= t.labels.length) return null;
    return { dataset: t.dataset, label: t.labels[n], pixels: Array.from(t.images.subarray(n * 784, (n + 1) * 784), (v) => v / 255) };
  }
  // The panel holding the keyboard's focus frame ('' for none).
  focusedPanel() { return this.app ? this.app.ccall('app_focused_panel', 'string', [], []) : ''; }

  // The runs panel as last drawn: {visible: rect of the window's visible area, header: rect,
  // rows: [{id, selected, shown, row, open, delete, compare}], comparing: ids, train: the Train
  // panel's settings}, every rect
  // {x, y, width, height} in CSS pixels of the page; null before the UI is up.
  runsPanel() {
    if (!this.app) return null;
    const layout = JSON.parse(this.app.UTF8ToString(this.app._app_runs_panel()));
    const r = this.canvas.getBoundingClientRect(), dpr = layout.dpr || 1;
    const rect = (a) => a && { x: r.left + a[0] / dpr, y: r.top + a[1] / dpr, width: a[2] / dpr, height: a[3] / dpr };
    return { visible: rect(layout.visible), header: rect(layout.header), comparing: layout.comparing, open: layout.open, train: layout.train,
      rows: layout.rows.map((row) => ({ ...row, row: rect(row.row), open: rect(row.open), delete: rect(row.delete), compare: rect(row.compare) })) };
  }

  // How many points the UI's curves hold: {steps, epochs}.
  curveSizes() {
    if (!this.app) return null;
    const [steps, epochs] = this.readFloats(this.app._app_curve_sizes(), 2);
    return { steps, epochs };
  }

  // ---- the page's DOM controls (a11y.js): the Train panel's settings and buttons -----------
  // What they show (src/app/page_controls.h), as JSON text; null before the module is up.
  controlsJson() { return this.app ? this.app.UTF8ToString(this.app._app_page_controls()) : null; }

  // Sets 'dataset' or 'preset' in the Train panel; '' or why not.
  setSetting(name, value) {
    if (!this.app) return 'the user interface has not started yet';
    return this.app.ccall('app_set_setting', 'string', ['string', 'string'], [name, value]);
  }

  // Presses the Train panel's button 'start', 'continue', 'pause', 'resume' or 'stop': its
  // command comes back through onCommand like the button's. '' or why it is disabled.
  press(action) {
    if (!this.app) return 'the user interface has not started yet';
    return this.app.ccall('app_press', 'string', ['string'], [action]);
  }

  // What the panels showed in the last frame, in words.
  shown() { return this.app ? JSON.parse(this.app.UTF8ToString(this.app._app_shown())) : null; }

  // ---- plumbing ---------------------------------------------------------------------------
  // Mouse, touch and pen, all as pointer events in CSS pixels relative to the canvas; the
  // wheel and trackpad as CSS pixels scrolled.
  followPointer() {
    const canvas = this.canvas;
    const pointer = (e, down) => {
      if (!this.app) return;
      const r = canvas.getBoundingClientRect();
      this.app._app_pointer_touch(e.pointerType === 'mouse' ? 0 : 1);
      this.app._app_pointer(e.clientX - r.left, e.clientY - r.top, down ? 1 : 0);
    };
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      // A click gives the canvas the keyboard, unless a page control has it (a11y.js): drawing
      // with the mouse leaves that focus where it was.
      if (document.activeElement === document.body || !document.activeElement) {
        this.focusByPointer = true;  // not a Tab: the keyboard does not jump to a panel's edge
        canvas.focus({ preventScroll: true });
        this.focusByPointer = false;
      }
      pointer(e, true);
      e.preventDefault();
    });
    canvas.addEventListener('pointermove', (e) => pointer(e, (e.buttons & 1) !== 0));
    canvas.addEventListener('pointerup', (e) => pointer(e, false));
    canvas.addEventListener('pointercancel', (e) => pointer(e, false));
    // Here rather than inline in index.html: `make serve`'s Content-Security-Policy forbids inline handlers.
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    canvas.addEventListener('wheel', (e) => {
      if (e.ctrlKey) return;  // pinch or Ctrl+wheel: the browser zooms, and the UI follows the pixel ratio
      e.preventDefault();
      if (!this.app) return;
      const unit = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? WHEEL_LINE_PX : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? canvas.clientHeight : 1;
      this.app._app_wheel(e.deltaX * unit, e.deltaY * unit);
    }, { passive: false });
  }

  // Keys reach the UI while the canvas has focus (Tab reaches it after the page's controls, or
  // a click on it): Tab, arrows, Space and Enter then move through and press its controls.
  // Keys pressed elsewhere are kept from Emscripten's GLFW, which listens on the whole window,
  // by a11y.js; this tells the UI to ignore the rest while the canvas is not focused.
  // Focus that arrives by the keyboard starts on the first panel's first control (Tab) or the
  // last panel's last (Shift+Tab: from a later element, or from the browser's own bar).
  followKeyboard() {
    const canvas = this.canvas;
    const focused = (e) => {
      if (!this.app) return;
      const has = document.activeElement === canvas;
      let entry = 0;
      if (has && e && e.type === 'focus' && !this.focusByPointer && canvas.matches(':focus-visible')) {
        const from = e.relatedTarget;
        entry = from && (from.compareDocumentPosition(canvas) & Node.DOCUMENT_POSITION_FOLLOWING) ? 1 : -1;
      }
      this.app._app_keyboard_focus(has ? 1 : 0, entry);
    };
    canvas.addEventListener('focus', focused);
    canvas.addEventListener('blur', focused);
    this.onAppLoaded = () => focused(null);
  }

  // Tab past the panels' last control (+1), or Shift+Tab before their first (-1): the keyboard
  // goes on to the page's next (or previous) focusable element, round to the other end.
  leaveCanvas(direction) {
    const all = [...document.querySelectorAll('button, select, input, textarea, a[href], [tabindex]')]
      .filter((el) => el.tabIndex >= 0 && !el.disabled && !el.hidden && el.getClientRects().length > 0);
    const at = all.indexOf(this.canvas);
    const next = all[(at + direction + all.length) % all.length];
    if (next && next !== this.canvas) next.focus();
    else this.canvas.blur();
  }

  withBytes(bytes, fn) {
    const p = this.app._malloc(bytes.length);
    this.app.HEAPU8.set(bytes, p);
    try { fn(p); } finally { this.app._free(p); }
  }

  readFloats(ptr, n) { return Array.from(this.app.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + n)); }

  // [digit, p0..p9] at ptr.
  prediction(ptr) {
    const v = this.readFloats(ptr, 11);
    return { digit: v[0], probabilities: v.slice(1) };
  }
}
