// The page protocol is defined once per language: src/protocol/protocol.h for C++ and
// web/protocol.js for JavaScript. This test reads the C++ name tables and direction lists and
// fails when the JavaScript differs from them in either direction, and when another script in
// web/ spells a message type or run state as a string instead of taking it from protocol.js.
// No browser needed.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEADER = path.join(ROOT, 'src', 'protocol', 'protocol.h');
const WEB = path.join(ROOT, 'web');

// web/protocol.js is a browser module with no imports: load it as one.
const source = fs.readFileSync(path.join(WEB, 'protocol.js'), 'utf8');
const js = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

const header = fs.readFileSync(HEADER, 'utf8').replace(/\/\/[^\n]*/g, '');

// The body between the braces after `start` (a declaration's head), up to the matching `}`.
function braces(head) {
  const at = header.search(head);
  assert.ok(at >= 0, `${head} not found in protocol.h`);
  const open = header.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < header.length; i++) {
    if (header[i] === '{') depth++;
    else if (header[i] === '}' && --depth === 0) return header.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after ${head}`);
}

// enum class E { a, b, c } -> ['a', 'b', 'c']
const enumerators = (name) => braces(new RegExp(`enum class ${name}\\b`)).split(',').map((s) => s.trim()).filter(Boolean);

// EnumName<E> kTable[] = {{E::a, "a"}, ...} -> Map(a => 'a')
function nameTable(enumName, table) {
  const body = braces(new RegExp(`EnumName<${enumName}> ${table}\\[\\]`));
  const pairs = [...body.matchAll(new RegExp(`\\{\\s*${enumName}::(\\w+)\\s*,\\s*"([^"]*)"\\s*\\}`, 'g'))];
  return new Map(pairs.map(([, value, name]) => [value, name]));
}

// MessageType kList[] = {MessageType::a, ...} -> names through the table
function directionList(list, names) {
  const body = braces(new RegExp(`MessageType ${list}\\[\\]`));
  return [...body.matchAll(/MessageType::(\w+)/g)].map(([, value]) => {
    assert.ok(names.has(value), `${list} lists MessageType::${value}, which has no name`);
    return names.get(value);
  });
}

const runStates = nameTable('RunState', 'kRunStateNames');
const messageTypes = nameTable('MessageType', 'kMessageTypeNames');

function sameSet(actual, expected, what) {
  const a = new Set(actual), e = new Set(expected);
  const missing = [...e].filter((x) => !a.has(x)), extra = [...a].filter((x) => !e.has(x));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: web/protocol.js lacks [${missing}] and has [${extra}] beyond protocol.h`);
  assert.equal(actual.length, a.size, `${what}: a name is listed twice`);
}

test('every C++ enumerator has exactly one name in its table', () => {
  for (const [enumName, table] of [['RunState', runStates], ['MessageType', messageTypes]]) {
    assert.deepEqual([...table.keys()].sort(), enumerators(enumName).sort(), `${enumName} and its name table`);
    assert.equal(new Set(table.values()).size, table.size, `${enumName}: two values share a name`);
  }
});

test('web/protocol.js has the run states and message types of protocol.h, no more, no fewer', () => {
  sameSet(Object.values(js.RunState), [...runStates.values()], 'RunState');
  sameSet(Object.values(js.MessageType), [...messageTypes.values()], 'MessageType');
  for (const table of [js.RunState, js.MessageType]) {
    assert.ok(Object.isFrozen(table));
    for (const [key, value] of Object.entries(table)) assert.equal(key, value);  // RunState.idle === 'idle'
  }
});

test('each direction carries the same message types in both languages', () => {
  const lists = { uiToPage: 'kUiToPage', pageToWorker: 'kPageToWorker', workerToPage: 'kWorkerToPage', pageToUi: 'kPageToUi' };
  assert.deepEqual(Object.keys(js.Direction).sort(), Object.keys(lists).sort());
  for (const [direction, list] of Object.entries(lists)) {
    assert.ok(Object.isFrozen(js.Direction[direction]));
    sameSet(js.Direction[direction], directionList(list, messageTypes), direction);
  }
});

// The string literals of a script, skipping comments; a template literal counts when it has no
// substitutions. (Enough for the page's scripts, which have no regular-expression literals
// with quotes in them.)
function stringLiterals(text) {
  const found = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') { i = text.indexOf('\n', i); if (i < 0) break; continue; }
    if (c === '/' && text[i + 1] === '*') { i = text.indexOf('*/', i + 2) + 1; if (i <= 0) break; continue; }
    if (c !== '"' && c !== "'" && c !== '`') continue;
    let j = i + 1, value = '', substituted = false;
    for (; j < text.length && text[j] !== c; j++) {
      if (text[j] === '\\') { value += text[++j]; continue; }
      if (c === '`' && text[j] === '$' && text[j + 1] === '{') substituted = true;
      value += text[j];
    }
    if (!substituted) found.push(value);
    i = j;
  }
  return found;
}

// web/serve.js is the static server, a Node program outside the protocol (its 'error' is a
// stream event).
const NOT_PAGE = new Set(['protocol.js', 'serve.js']);

test('no other script in web/ spells a message type or run state as a string', () => {
  const protocolNames = new Set([...runStates.values(), ...messageTypes.values()]);
  const scripts = fs.readdirSync(WEB).filter((f) => f.endsWith('.js') && !NOT_PAGE.has(f));
  assert.ok(scripts.includes('main.js') && scripts.includes('worker.js'));
  const spelled = scripts.flatMap((f) => stringLiterals(fs.readFileSync(path.join(WEB, f), 'utf8'))
    .filter((s) => protocolNames.has(s)).map((s) => `${f}: '${s}'`));
  assert.deepEqual(spelled, [], 'take these names from protocol.js');
});

test('the literal scanner sees strings and skips comments', () => {
  assert.deepEqual(stringLiterals(`a('x'); // 'y'\n/* "z" */ b("w", \`v\`, \`u\${1}\`, 'it\\'s')`), ['x', 'w', 'v', "it's"]);
});
