import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';

/** The MobileNetV2 layer whose texture/shape channels (96) describe a bouquet better than the final output. */
const FEATURE_LAYER = 'block_12_add';
const GEM_POWER = 3;
/** 128 px: ~⅔ of the cost of 160 px at the same accuracy on the benchmark (bench/README.md). */
export const CNN_INPUT = Number(process.env.PHOTO_CNN_INPUT ?? 128);

type ModelJson = {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
};
type Bundled = { modelJson(): Promise<{ default: ModelJson }>; weightBundles: (() => Promise<{ default: string }>)[] };

/**
 * Loads nsfwjs's MobileNetV2 (its weights ship inside the npm package as base64) on the WASM backend and
 * returns an embedder: CNN_INPUT² RGB images → GeM-pooled, L2-normalised 96-d vectors, run as one batch.
 * Call inside a worker thread.
 */
export async function loadCnn(): Promise<(images: Uint8Array[]) => Float32Array[]> {
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep));
  await tf.setBackend('wasm');
  await tf.ready();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundled = require('nsfwjs/models/mobilenet_v2').MobileNetV2Model as Bundled;
  const json = truncated((await bundled.modelJson()).default, CNN_INPUT);
  const weights = await Promise.all(
    bundled.weightBundles.map(async (load) => Buffer.from((await load()).default, 'base64')),
  );
  const weightData = Buffer.concat(weights);
  const trunk = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    }),
    { strict: false },
  );
  return (images) =>
    tf.tidy(() => {
      const pixels = new Uint8Array(images.length * CNN_INPUT * CNN_INPUT * 3);
      images.forEach((rgb, i) => pixels.set(rgb, i * rgb.length));
      const input = tf.tensor4d(pixels, [images.length, CNN_INPUT, CNN_INPUT, 3], 'int32').toFloat().div(255);
      const map = trunk.predict(input) as tf.Tensor4D;
      // Generalised-mean pooling over positions: robust to crops and shifts, keeps strong local responses.
      const pooled = map
        .relu()
        .add(1e-6)
        .pow(GEM_POWER)
        .mean([1, 2])
        .pow(1 / GEM_POWER);
      const normalised = pooled.div(pooled.norm('euclidean', 1, true).add(1e-12));
      const flat = normalised.dataSync() as Float32Array;
      const dims = flat.length / images.length;
      return images.map((_, i) => flat.slice(i * dims, (i + 1) * dims));
    });
}

type KerasLayer = { name: string; config: { batch_input_shape?: (number | null)[] } };

/**
 * The model up to FEATURE_LAYER only (the rest is never computed), with the input resized: a convolutional
 * trunk takes any size, and 128 px costs a third of 224 px.
 */
function truncated(json: ModelJson, input: number): ModelJson {
  const topology = structuredClone(json.modelTopology) as {
    model_config: { config: { layers: KerasLayer[]; output_layers: unknown[] } };
  };
  const config = topology.model_config.config;
  const last = config.layers.findIndex((l) => l.name === FEATURE_LAYER);
  config.layers = config.layers.slice(0, last + 1);
  config.layers[0].config.batch_input_shape = [null, input, input, 3];
  config.output_layers = [[FEATURE_LAYER, 0, 0]];
  // The weight manifest stays whole (its order gives the byte offsets); unused weights are skipped (strict: false).
  return { modelTopology: topology, weightsManifest: json.weightsManifest };
}
