// Runs a command to completion with a time limit, keeping stdout as lines with the time each
// line arrived (the native time-to-accuracy is read off those times). Rejects with the
// command's own stderr when it fails, so the benchmark's error says what went wrong.
import { spawn } from 'node:child_process';

export function run(cmd, args, { timeoutMs = 600000, cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let partial = '', stderr = '';
    child.stdout.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      const t = (performance.now() - t0) / 1000;
      for (const text of parts) lines.push({ text, t });
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`${cmd}: ${e.message}`)); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) lines.push({ text: partial, t: (performance.now() - t0) / 1000 });
      if (code === 0) { resolve({ lines, stderr }); return; }
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` after ${timeoutMs / 1000} s` : ''}` : `exit status ${code}`;
      reject(new Error(`${[cmd, ...args].join(' ')}: ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`));
    });
  });
}

// The JSON objects among a command's output lines, each with its arrival time as `t`.
export function jsonLines(lines) {
  const out = [];
  for (const { text, t } of lines) {
    if (!text.trim().startsWith('{')) continue;
    try { out.push({ ...JSON.parse(text), t }); } catch { /* a progress line, not data */ }
  }
  return out;
}
