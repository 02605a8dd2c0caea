'use strict';
// The try-it page: no framework, no inline code (the Content-Security-Policy forbids it), only this origin.

// viridis sampled at ten points, as the service's own PNG renderer uses it (dev.classifier.explain.Viridis).
const VIRIDIS = [0x440154, 0x482878, 0x3e4a89, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6dcd59, 0xb4de2c, 0xfde725];
const MAX_VIEW_SIDE = 480;
const TOP_K = 5;

const state = { explanations: false, model: null, ready: null };
const cards = [];

// With authentication on, the API answers 401 until the page sends a key: the page then asks for one and keeps
// it in sessionStorage, so it lives as long as this tab and is never written to disk by the page.
const KEY_STORAGE = 'classifier.apiKey';

function apiHeaders() {
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.Authorization = 'Bearer ' + key;
  return headers;
}

function askForKey() {
  const form = document.getElementById('key-form');
  form.hidden = false;
  document.getElementById('api-key').focus();
}

function useKey(event) {
  event.preventDefault();
  const input = document.getElementById('api-key');
  sessionStorage.setItem(KEY_STORAGE, input.value.trim());
  input.value = '';
  document.getElementById('key-form').hidden = true;
  state.ready = loadModels();
  // Images refused for want of a key are sent again with it.
  for (const card of cards) {
    if (card.node.dataset.status === '401') classify(card);
  }
}

function viridis(t) {
  const clamped = t > 0 ? Math.min(t, 1) : 0;
  const at = clamped * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(at), VIRIDIS.length - 2);
  const f = at - i;
  const rgb = [];
  for (const shift of [16, 8, 0]) {
    const a = (VIRIDIS[i] >> shift) & 0xff;
    const b = (VIRIDIS[i + 1] >> shift) & 0xff;
    rgb.push(Math.round(a + (b - a) * f));
  }
  return rgb;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function percent(score) {
  return (score * 100).toFixed(2) + '%';
}

async function loadModels() {
  const banner = document.getElementById('banner');
  try {
    const response = await fetch('/v1/models', { headers: apiHeaders() });
    const body = await response.json();
    if (response.status === 401) askForKey();
    if (!response.ok) {
      banner.replaceChildren(problemView(body, response.status));
      return;
    }
    const model = body.models[0];
    state.model = model;
    state.explanations = model.explanations === true;
    const line = el('span', 'meta');
    line.append(el('strong', null, model.name), ' · weights ', el('code', null, model.weights),
      ' · ' + model.provider + ' · input ' + model.input.width + '×' + model.input.height +
      ' · ' + model.labels + ' classes · heatmaps ' + (state.explanations ? 'available' : 'not available for this model'));
    const parts = [line];
    if (model.synthetic) {
      parts.push(el('span', 'synthetic',
        'Synthetic weights: the architecture and the speed are real, but the predicted labels are meaningless ' +
        'until the real ImageNet weights are installed (see the README).'));
    }
    banner.replaceChildren(...parts);
    banner.dataset.explanations = String(state.explanations);
    banner.dataset.synthetic = String(model.synthetic);
  } catch (error) {
    banner.textContent = 'The model description could not be loaded: ' + error.message;
  }
}

function problemView(problem, status) {
  const box = el('div', 'problem-body');
  const title = problem && problem.title ? problem.title : 'Request failed';
  box.append(el('h3', 'title', title + ' (' + (problem && problem.status ? problem.status : status) + ')'));
  if (problem && problem.detail) box.append(el('p', 'detail', problem.detail));
  if (problem && problem.type) box.append(el('p', 'type', problem.type + (problem.requestId ? ' · request ' + problem.requestId : '')));
  return box;
}

function addFiles(files) {
  const list = document.getElementById('results');
  for (const file of files) {
    const card = createCard(file);
    list.prepend(card.node);
    cards.push(card);
    preview(card);
    classify(card);
  }
}

function createCard(file) {
  const node = document.getElementById('result-template').content.firstElementChild.cloneNode(true);
  node.querySelector('.name').textContent = file.name || 'pasted image';
  const canvas = node.querySelector('.view');
  canvas.setAttribute('aria-label', 'Preview of ' + (file.name || 'the pasted image'));
  return { file, node, canvas, bitmap: null, predictions: [], pinned: 0, shown: 0 };
}

async function preview(card) {
  try {
    // The browser applies the EXIF orientation, so the picture is upright like the service's maps.
    card.bitmap = await createImageBitmap(card.file, { imageOrientation: 'from-image' });
  } catch (error) {
    card.bitmap = null; // not an image the browser can decode; the service says why
  }
  draw(card);
}

async function classify(card) {
  await state.ready; // whether to ask for heatmaps depends on the model
  const form = new FormData();
  form.append('image', card.file, card.file.name || 'pasted');
  const url = '/v1/classify?topK=' + TOP_K + (state.explanations ? '&explain=true' : '');
  const status = card.node.querySelector('.status');
  try {
    const response = await fetch(url, { method: 'POST', body: form, headers: apiHeaders() });
    card.node.dataset.status = String(response.status);
    if (response.status === 401) askForKey();
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (!response.ok) {
      showProblem(card, body, response.status);
      return;
    }
    showResult(card, body.results[0]);
  } catch (error) {
    status.textContent = 'The service could not be reached: ' + error.message;
    card.node.dataset.state = 'problem';
  }
}

function showProblem(card, problem, status) {
  const box = card.node.querySelector('.problem');
  box.replaceChildren(problemView(problem, status));
  box.hidden = false;
  card.node.querySelector('.status').textContent = '';
  card.node.dataset.state = 'problem';
}

function showResult(card, result) {
  card.predictions = result.predictions;
  card.node.querySelector('.status').textContent =
    result.image.format.toUpperCase() + ', ' + result.image.width + '×' + result.image.height +
    (state.explanations ? ' · point at a class to see where the model found it' : '');
  const list = card.node.querySelector('.predictions');
  list.replaceChildren();
  result.predictions.forEach((prediction, i) => {
    const item = el('li');
    const bar = el('button', 'bar');
    bar.type = 'button';
    bar.dataset.index = String(prediction.index);
    bar.dataset.score = String(prediction.score);
    bar.setAttribute('aria-pressed', i === 0 ? 'true' : 'false');
    const fill = el('span', 'fill');
    fill.style.width = Math.max(0, Math.min(100, prediction.score * 100)) + '%';
    bar.append(fill, el('span', 'label', prediction.label), el('span', 'score', percent(prediction.score)));
    bar.addEventListener('mouseenter', () => show(card, i));
    bar.addEventListener('focus', () => show(card, i));
    bar.addEventListener('mouseleave', () => show(card, card.pinned));
    bar.addEventListener('blur', () => show(card, card.pinned));
    bar.addEventListener('click', () => pin(card, i));
    bar.addEventListener('keydown', (event) => moveFocus(event, list, i));
    item.append(bar);
    list.append(item);
  });
  const timings = card.node.querySelector('.timings');
  timings.replaceChildren();
  const t = result.timings;
  const rows = [['decode', t.decodeMs], ['preprocess', t.preprocessMs], ['queue', t.queueMs],
    ['inference', t.inferenceMs]];
  if (t.explainMs !== undefined) rows.push(['explain', t.explainMs]);
  rows.push(['total', t.totalMs]);
  for (const [name, ms] of rows) {
    timings.append(el('dt', null, name), el('dd', 'ms-' + name, ms.toFixed(2) + ' ms'));
  }
  timings.append(el('dt', null, 'batch'), el('dd', null, String(t.batchSize)));
  timings.hidden = false;
  card.pinned = 0;
  card.shown = 0;
  card.node.dataset.state = 'done';
  draw(card);
}

function moveFocus(event, list, i) {
  const bars = list.querySelectorAll('.bar');
  let next = -1;
  if (event.key === 'ArrowDown') next = Math.min(i + 1, bars.length - 1);
  if (event.key === 'ArrowUp') next = Math.max(i - 1, 0);
  if (event.key === 'Home') next = 0;
  if (event.key === 'End') next = bars.length - 1;
  if (next >= 0) {
    event.preventDefault();
    bars[next].focus();
  }
}

function pin(card, i) {
  card.pinned = i;
  card.node.querySelectorAll('.bar').forEach((bar, j) => bar.setAttribute('aria-pressed', j === i ? 'true' : 'false'));
  show(card, i);
}

function show(card, i) {
  if (card.shown === i) return;
  card.shown = i;
  draw(card);
}

function draw(card) {
  const canvas = card.canvas;
  const bitmap = card.bitmap;
  canvas.hidden = !bitmap; // nothing the browser could decode: the problem says why
  if (!bitmap) {
    return;
  }
  const scale = Math.min(1, MAX_VIEW_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0, width, height);
  const prediction = card.predictions[card.shown];
  const heatmapOn = document.getElementById('heatmap').checked;
  const label = prediction ? prediction.label : '';
  if (!heatmapOn || !prediction || !prediction.map) {
    canvas.setAttribute('aria-label', 'Picture ' + (card.file.name || ''));
    canvas.dataset.heatmap = 'off';
    return;
  }
  const opacity = Number(document.getElementById('opacity').value) / 100;
  overlay(context, width, height, prediction.map, opacity);
  canvas.setAttribute('aria-label', 'Heatmap of "' + label + '" over ' + (card.file.name || 'the picture'));
  canvas.dataset.heatmap = String(prediction.index);
}

// The map normalised to its own range, upsampled bilinearly over the picture, coloured and blended:
// the same arithmetic as the service's PNG overlay.
function overlay(context, width, height, map, opacity) {
  const image = context.getImageData(0, 0, width, height);
  const px = image.data;
  const range = map.max - map.min;
  const scale = range > 0 ? 1 / range : 0;
  const mw = map.width;
  const mh = map.height;
  const at = (x, y) => map.values[y * mw + x];
  for (let y = 0; y < height; y++) {
    const v = Math.max(0, Math.min((y + 0.5) * mh / height - 0.5, mh - 1));
    const y0 = Math.min(Math.floor(v), Math.max(mh - 2, 0));
    const fy = v - y0;
    const y1 = Math.min(y0 + 1, mh - 1);
    for (let x = 0; x < width; x++) {
      const u = Math.max(0, Math.min((x + 0.5) * mw / width - 0.5, mw - 1));
      const x0 = Math.min(Math.floor(u), Math.max(mw - 2, 0));
      const fx = u - x0;
      const x1 = Math.min(x0 + 1, mw - 1);
      const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
      const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
      const heat = viridis(((top * (1 - fy) + bottom * fy) - map.min) * scale);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        px[o + c] = Math.round(px[o + c] + (heat[c] - px[o + c]) * opacity);
      }
    }
  }
  context.putImageData(image, 0, 0);
}

function redrawAll() {
  document.getElementById('opacity-value').textContent = document.getElementById('opacity').value + '%';
  cards.forEach(draw);
}

function setUp() {
  const input = document.getElementById('file');
  input.addEventListener('change', () => {
    addFiles(Array.from(input.files));
    input.value = '';
  });
  document.getElementById('heatmap').addEventListener('change', redrawAll);
  document.getElementById('opacity').addEventListener('input', redrawAll);
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    if (event.dataTransfer && event.dataTransfer.files.length) addFiles(Array.from(event.dataTransfer.files));
  });
  document.addEventListener('paste', (event) => {
    const files = event.clipboardData ? Array.from(event.clipboardData.files) : [];
    if (files.length) {
      event.preventDefault();
      addFiles(files);
    }
  });
  document.getElementById('key-form').addEventListener('submit', useKey);
  state.ready = loadModels();
}

setUp();
