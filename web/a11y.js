// The page for keyboard and screen-reader users. The ImGui canvas is pixels; beside it,
// index.html has real, labelled DOM controls (#controls: dataset and preset selects, Start,
// Continue, Pause, Resume, Stop, and a file input that opens a model file, main.js's) and a polite live region (#announce). This module keeps the
// controls in step with the Train panel, in both directions, and speaks what happens:
//
// - Choosing in a select sets the Train panel's own setting (a preset brings its defaults);
//   a choice made in the panel shows in the select at the next sync (every SYNC_EVERY_MS).
// - A button presses the panel's button: the app builds the same command and sends it
//   through main.js's command(), so both paths start, pause and stop runs alike. Buttons are
//   enabled exactly when the panel's are.
// - #announce speaks the run's events while #status is busy with progress (status_text.js):
//   a run starting or resuming, an epoch's evaluation starting, each epoch's test accuracy,
//   and the pad's guess once a stroke has settled ("guess: 3, 99%"). Never progress, so a
//   screen reader hears a few sentences per epoch, not one per step. Paused, done, stopped
//   and errors are #status's to speak: it stops being busy then.

import { MessageType, RunState } from './protocol.js';

const SYNC_EVERY_MS = 250;     // how often the controls follow the Train panel (a small JSON read)
const GUESS_SETTLES_MS = 700;  // the pad's guess is spoken this long after the last stroke ends
// The Train panel's buttons, named after the commands they send (Continue sends a start that
// continues the saved run).
const T = MessageType, CONTINUE = 'continue';
const ACTIONS = [T.start, CONTINUE, T.pause, T.resume, T.stop];
// When a press disables the focused button, focus goes to the one that undoes or follows it.
const FOCUS_NEXT = { [T.start]: T.pause, [CONTINUE]: T.pause, [T.pause]: T.resume, [T.resume]: T.pause, [T.stop]: T.start };

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const percent = (x) => `${(100 * x).toFixed(1)}%`;

export class AccessibleControls {
  // form: #controls; announcer: #announce; canvas: the UI's canvas; ui: the Ui (ui.js).
  constructor({ form, announcer, canvas, ui }) {
    this.form = form;
    this.announcer = announcer;
    this.canvas = canvas;
    this.ui = ui;
    this.selects = { dataset: form.querySelector('[name=dataset]'), preset: form.querySelector('[name=preset]') };
    this.buttons = Object.fromEntries(ACTIONS.map((a) => [a, form.querySelector(`[data-action=${a}]`)]));
    this.modelFile = form.querySelector('#model-file');  // opened by main.js, not while a run trains
    this.shownJson = '';
    this.state = RunState.loading;
    this.epochs = 0;
    this.guessTimer = 0;
    this.spokenPad = -1;  // the pad version whose guess was spoken last
    this.keepKeysFromCanvas();
  }

  // The UI draws: the controls come alive and follow the panel from now on.
  start() {
    this.form.addEventListener('submit', (e) => e.preventDefault());  // Enter in a select submits nothing
    for (const [name, select] of Object.entries(this.selects)) {
      select.addEventListener('change', () => this.choose(name, select.value));
    }
    for (const [action, button] of Object.entries(this.buttons)) {
      button.addEventListener('click', () => this.press(action));
    }
    this.followStrokes();
    this.sync();
    setInterval(() => this.sync(), SYNC_EVERY_MS);
  }

  // One of the worker's reports (protocol.js, Direction.workerToPage), as main.js gets it.
  report(m) {
    switch (m.type) {
      case MessageType.started: {
        const s = m.settings || {};
        this.epochs = s.epochs || 0;
        const what = `${s.preset || 'the'} model on ${s.dataset || 'the dataset'}`;
        this.say(m.exact ? `training continues: ${what}, where it stopped`
          : `training started: ${what}, ${plural(this.epochs, 'epoch')}${m.resumed ? ', from the saved weights' : ''}`);
        break;
      }
      case MessageType.state:
        if (m.state === RunState.training && this.state === RunState.paused) this.say('training resumed');
        this.state = m.state;
        break;
      case MessageType.evaluating:
        this.say(`epoch ${this.ofEpochs(m.epoch, m.epochs)} trained; evaluating on the test set…`);
        break;
      case MessageType.epoch: {
        const early = m.stoppedEarly ? '; stopped early, validation stopped improving' : '';
        const best = m.restoredEpoch ? `; the run keeps epoch ${m.restoredEpoch}'s weights, its best` : '';
        this.say(`epoch ${this.ofEpochs(m.epoch)}: test accuracy ${percent(m.testAccuracy)}${early}${best}`);
        break;
      }
      default: break;
    }
  }

  ofEpochs(epoch, epochs = this.epochs) { return epochs ? `${epoch} of ${epochs}` : `${epoch}`; }

  // Polite: a screen reader finishes what it is saying first. The same sentence twice in a row
  // (the same guess for a new drawing) is spoken again because the text node is replaced.
  say(text) {
    this.announcer.textContent = '';
    this.announcer.append(document.createTextNode(text));
  }

  // ---- the controls -------------------------------------------------------------------------
  choose(name, value) {
    const error = this.ui.setSetting(name, value);
    if (error) this.say(error);
    this.sync();
  }

  press(action) {
    const error = this.ui.press(action);
    if (error) this.say(error);
  }

  // The Train panel's settings and buttons, shown by the controls when they changed.
  sync() {
    const json = this.ui.controlsJson();
    if (!json || json === this.shownJson) return;
    this.shownJson = json;
    const c = JSON.parse(json);
    const busy = c.state === RunState.training || c.state === RunState.paused || c.state === RunState.loading;
    this.show(this.selects.dataset, c.datasets, c.dataset, busy, c.datasetTitles);
    this.show(this.selects.preset, c.presets, c.preset, busy);
    const focused = ACTIONS.find((a) => this.buttons[a] === document.activeElement);
    for (const action of ACTIONS) this.buttons[action].disabled = !c.allowed[action];
    this.modelFile.disabled = busy;
    this.buttons[CONTINUE].hidden = !c.continuable;
    // A press that disabled its own button would leave focus nowhere: keep it in the controls.
    if (focused && this.buttons[focused].disabled) {
      const next = [FOCUS_NEXT[focused], ...ACTIONS].map((a) => this.buttons[a]).find((b) => !b.disabled && !b.hidden);
      if (next) next.focus();
    }
  }

  // Options named as the panel's combo names them (`titles`), valued by the names the
  // settings take.
  show(select, names, value, disabled, titles = names) {
    const current = Array.from(select.options, (o) => `${o.value} ${o.text}`);
    const wanted = names.map((n, i) => `${n} ${titles[i]}`);
    if (current.join('\n') !== wanted.join('\n')) select.replaceChildren(...names.map((n, i) => new Option(titles[i], n)));
    if (select.value !== value) select.value = value;
    select.disabled = disabled;
  }

  // ---- the pad's guess ----------------------------------------------------------------------
  // Spoken once a stroke has ended and no new one began within GUESS_SETTLES_MS, for a pad
  // that changed since the last guess spoken; nothing for an empty pad (after Clear) or for
  // a pointer that only pressed a button. Before any training there is no guess, and it says so.
  followStrokes() {
    const settle = () => {
      clearTimeout(this.guessTimer);
      this.guessTimer = setTimeout(() => this.speakGuess(), GUESS_SETTLES_MS);
    };
    this.canvas.addEventListener('pointerdown', () => clearTimeout(this.guessTimer));
    this.canvas.addEventListener('pointerup', settle);
    this.canvas.addEventListener('pointercancel', settle);
  }

  speakGuess() {
    const json = this.ui.controlsJson();
    if (!json) return;
    const { padEmpty, padVersion, guess } = JSON.parse(json);
    if (padEmpty || padVersion === this.spokenPad) return;
    this.spokenPad = padVersion;
    // The Draw panel's guess, in its words (class names for Fashion-MNIST).
    this.say(guess ? `guess: ${guess.label}, ${Math.round(100 * guess.probability)}%` : 'no guess: the network has not trained yet');
  }

  // Emscripten's GLFW takes every key on the window (capturing) for ImGui and cancels Tab, so
  // without this Tab would never move focus and typing in a select would also reach ImGui.
  // Registered before GLFW starts, this listener keeps from it the keys pressed in these
  // controls, and Tab pressed anywhere but on the canvas. Key releases always reach GLFW, so
  // that no key stays held down in ImGui.
  keepKeysFromCanvas() {
    const ours = (e) => this.form.contains(e.target) || (e.key === 'Tab' && e.target !== this.canvas);
    for (const type of ['keydown', 'keypress']) {
      window.addEventListener(type, (e) => { if (ours(e)) e.stopImmediatePropagation(); }, true);
    }
  }
}
