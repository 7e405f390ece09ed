// Trains keras-cnn with TensorFlow.js in headless Chromium, once per (backend, batch), each in
// a fresh page. A backend that cannot train the model is a record with its error message, not
// a failure of the benchmark: that is one of the results.
import { openPage } from '../browser/chromium.mjs';

// One record per (backend, batch): { peer, backend, batch, samples_per_second | error }.
export async function benchTfjs({ browser, baseUrl, backends, batches, warmupSteps, timedSteps, timeoutMs = 600000 }) {
  const records = [];
  for (const backend of backends) {
    for (const batch of batches) {
      const record = { peer: 'tfjs', backend, batch, warmup_steps: warmupSteps, timed_steps: timedSteps(batch) };
      const { page, log, close } = await openPage(browser, `${baseUrl}/bench/tfjs/index.html`, { timeoutMs });
      try {
        const r = await page.evaluate((cfg) => window.trainKerasCnn(cfg), { backend, batch, warmupSteps, timedSteps: timedSteps(batch) });
        Object.assign(record, r);
      } catch (e) {
        record.error = firstLine(e.message);
        if (log.length) record.console = log.slice(0, 5);
      } finally {
        await close();
      }
      records.push(record);
      // Every batch size fails the same way on a backend that cannot train: say it once.
      if (record.error) break;
    }
  }
  return records;
}

// playwright wraps in-page errors as "page.evaluate: Error: <message>\n    at ...".
function firstLine(message) {
  return message.split('\n')[0].replace(/^page\.evaluate: (Error: )?/, '');
}
