// window.digitrain: the contract tests, the benchmark and scripts use (PRODUCT.md, and
// docs/web-app.md for what goes beyond it). Everything here asks the run, the UI or the
// worker; it keeps nothing of its own.

export function digitrainApi({ ready, run, ui, worker, pastRuns }) {
  return {
    ready,
    // config.resume: continue from the model saved before a reload (same preset).
    start(config) { worker.start(run.startMessage(config)); },
    pause() { worker.pause(); },
    resume() { worker.resume(); },
    stop() { worker.stop(); },
    setLearningRate(lr) { worker.setLearningRate(lr); },
    status() { return { ...run.status }; },
    confusion() { return run.confusion && run.confusion.map((row) => row.slice()); },
    predict(pixels) { return ui.predict(pixels); },
    lastPrediction() { return ui.lastPrediction(); },
    drawPadRect() { return ui.padRect(); },
    clearPad() { ui.clearPad(); },
    // Beyond the contract, for tests: where a confusion-matrix cell is (CSS pixels), and
    // which cell is selected with how many of its test images are shown.
    confusionCellRect(truth, predicted) { return ui.confusionCellRect(truth, predicted); },
    selectedCell() { return ui.selectedCell(); },
    // Also for tests: where the UI's named controls and windows are (CSS pixels), how far a
    // window is scrolled, what does not fit its window, and which control has keyboard focus.
    widgetRect(name) { return ui.widgetRect(name); },
    windowScroll(name) { return ui.windowScroll(name); },
    clipped() { return ui.clipped(); },
    focusedControl() { return ui.focusedControl(); },
    focusedPanel() { return ui.focusedPanel(); },
    // The past runs kept in this browser (newest first, as run_history.js keeps them, without
    // weights); reopen one or delete one by id, as the runs panel does.
    pastRuns() { return pastRuns.list(); },
    reopenRun(id) { pastRuns.reopen(id); },
    deleteRun(id) { pastRuns.forget(id); },
    // For tests: where the runs panel's rows and buttons are (CSS pixels), and how many points
    // the UI's curves hold.
    runsPanel() { return ui.runsPanel(); },
    curveSizes() { return ui.curveSizes(); },
    // The Train panel's dataset, preset, settings and enabled buttons, as the page's DOM
    // controls show them (src/app/page_controls.h); null before the UI is up.
    trainPanel() { const json = ui.controlsJson(); return json && JSON.parse(json); },
    // What the panels showed in the last frame, in words (the guess, chart legends and point
    // counts, labels, notes): for tests that check what a person sees.
    shown() { return ui.shown(); },
    // Test image n of the dataset the UI holds: {dataset, label, pixels (784 numbers in [0, 1])},
    // null when there is none; for checking the mistakes gallery against the engine.
    testSample(n) { return ui.testSample(n); },
  };
}
