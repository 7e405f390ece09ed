// Drawing on the pad with real pointer events, as a person would with a mouse.
'use strict';

// Strokes are lists of [x, y] in the unit square of the pad.
async function drawStrokes(page, strokes) {
  const r = await page.evaluate(() => window.digitrain.drawPadRect());
  for (const stroke of strokes) {
    const at = ([u, v]) => [r.x + u * r.width, r.y + v * r.height];
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (let i = 1; i < stroke.length; i++) {
      // Several small moves per segment, like a real hand, so the pad sees a continuous line.
      const [x0, y0] = at(stroke[i - 1]), [x1, y1] = at(stroke[i]);
      for (let k = 1; k <= 6; k++) {
        await page.mouse.move(x0 + ((x1 - x0) * k) / 6, y0 + ((y1 - y0) * k) / 6);
        await page.waitForTimeout(5);
      }
    }
    await page.mouse.up();
  }
  await page.waitForTimeout(100);  // a frame or two for the UI to see the last move
}

const ONE = [[[0.52, 0.15], [0.5, 0.85]]];
const SEVEN = [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]];
const ZERO = [[[0.5, 0.15], [0.3, 0.3], [0.28, 0.6], [0.5, 0.85], [0.7, 0.6], [0.7, 0.3], [0.5, 0.15]]];

module.exports = { drawStrokes, ONE, SEVEN, ZERO };
