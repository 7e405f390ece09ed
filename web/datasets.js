// Data loading in the worker: a dataset is its four idx files, gzip-compressed, under
// <root><name>/; each is fetched with its progress reported and inflated in the browser.

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

// One gzip file, inflated. onProgress(url, loaded, total) as compressed bytes arrive.
async function fetchGzip(url, onProgress) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url} (${e.message})`);
  }
  if (!response.ok) throw new Error(`data file ${url} is missing (HTTP ${response.status}); rebuild the site with "make site"`);
  const total = Number(response.headers.get('content-length')) || 0;
  let loaded = 0;
  const counter = new TransformStream({
    transform(chunk, out) {
      loaded += chunk.byteLength;
      onProgress(url, loaded, total);
      out.enqueue(chunk);
    },
  });
  try {
    const inflated = response.body.pipeThrough(counter).pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  } catch (e) {
    throw new Error(`data file ${url} is corrupt: it is not a valid gzip file`);
  }
}

// [train images, train labels, test images, test labels] as idx bytes. onProgress(url, loaded,
// total) counts the compressed bytes of the whole dataset: `total` is `bytes` (from
// datasetBytes) when known, else the current file's size.
export async function fetchDataset(root, name, onProgress, bytes = 0) {
  const files = [];
  let done = 0;  // bytes of the files already fetched
  for (const f of FILES) {
    let last = 0;
    files.push(await fetchGzip(`${root}${name}/${f}.gz`, (url, loaded, total) => {
      last = loaded;
      if (bytes > 0) onProgress(url, Math.min(done + loaded, bytes), bytes);
      else onProgress(url, loaded, total);
    }));
    done += last;
  }
  return files;
}

// The compressed size of a dataset's four files (HEAD requests, nothing downloaded), so that
// the page can say what choosing it costs before it starts; 0 when a size is not known.
export async function datasetBytes(root, name) {
  try {
    const sizes = await Promise.all(FILES.map(async (f) => {
      const r = await fetch(`${root}${name}/${f}.gz`, { method: 'HEAD' });
      return r.ok ? Number(r.headers.get('content-length')) || 0 : 0;
    }));
    return sizes.includes(0) ? 0 : sizes.reduce((a, b) => a + b, 0);
  } catch (e) {
    return 0;
  }
}

// The datasets the site ships (data/datasets.json), [] when the list cannot be read (the
// data itself then fails with a message that names the file).
export async function listDatasets(root) {
  try {
    const r = await fetch(`${root}datasets.json`);
    return r.ok ? await r.json() : [];
  } catch (e) {
    return [];
  }
}
