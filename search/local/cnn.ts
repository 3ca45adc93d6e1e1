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
  const forward = foldedForward(trunk, json);
  trunk.dispose(); // its weights now live folded in `forward`
  return (images) =>
    tf.tidy(() => {
      const pixels = new Uint8Array(images.length * CNN_INPUT * CNN_INPUT * 3);
      images.forEach((rgb, i) => pixels.set(rgb, i * rgb.length));
      const input = tf.tensor4d(pixels, [images.length, CNN_INPUT, CNN_INPUT, 3], 'int32').toFloat().div(255);
      const map = forward(input as tf.Tensor4D);
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

type Layer = KerasLayer & {
  class_name: string;
  inbound_nodes: [string, number, number, object][][];
  config: KerasLayer['config'] & {
    strides?: [number, number];
    padding?: string | [[number, number], [number, number]];
    max_value?: number;
    epsilon?: number;
  };
};

/**
 * The trunk as fused ops: each convolution with its batch norm folded into the weights and a bias, and the ReLU6
 * after it as the op's activation. The same function as `trunk.predict` (to float rounding) in a third of the
 * ops: tfjs-layers runs batch norm and ReLU as separate passes over the feature maps.
 */
function foldedForward(trunk: tf.LayersModel, json: ModelJson): (input: tf.Tensor4D) => tf.Tensor4D {
  const layers = (json.modelTopology as { model_config: { config: { layers: Layer[] } } }).model_config.config.layers;
  const inputsOf = (layer: Layer) => layer.inbound_nodes.flatMap((node) => node.map(([name]) => name));
  const consumers = (name: string) => layers.filter((l) => inputsOf(l).includes(name));
  const weightsOf = (name: string) => trunk.getLayer(name).getWeights();
  type Step = { output: string; inputs: string[]; run(x: tf.Tensor4D[]): tf.Tensor4D };
  const steps: Step[] = [];
  const folded = new Set<string>();
  for (const layer of layers) {
    const { name } = layer;
    if (layer.class_name === 'InputLayer' || folded.has(name)) continue;
    const inputs = inputsOf(layer);
    if (layer.class_name === 'ZeroPadding2D') {
      const [[top, bottom], [left, right]] = layer.config.padding as [[number, number], [number, number]];
      steps.push({
        output: name,
        inputs,
        run: ([x]) =>
          tf.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ]),
      });
    } else if (layer.class_name === 'Add') {
      steps.push({ output: name, inputs, run: (xs) => tf.addN<tf.Tensor4D>(xs) });
    } else if (layer.class_name === 'Conv2D' || layer.class_name === 'DepthwiseConv2D') {
      const [bn] = consumers(name);
      if (bn?.class_name !== 'BatchNormalization') throw new Error(`cnn: ${name} is not followed by a batch norm`);
      const [relu] = consumers(bn.name).filter((l) => l.class_name === 'ReLU' && consumers(bn.name).length === 1);
      if (relu && relu.config.max_value !== 6) throw new Error(`cnn: ${relu.name} is not ReLU6`);
      const depthwise = layer.class_name === 'DepthwiseConv2D';
      const [filter, bias] = tf.tidy(() => {
        const [gamma, beta, mean, variance] = weightsOf(bn.name);
        const scale = tf.div(gamma, tf.sqrt(tf.add(variance, bn.config.epsilon ?? 1e-3)));
        const [kernel] = weightsOf(name);
        // Kernel [h, w, in, out] scales along out; a depthwise kernel [h, w, in, 1] along in.
        return [
          depthwise ? tf.mul(kernel, scale.reshape([1, 1, -1, 1])) : tf.mul(kernel, scale),
          tf.sub(beta, tf.mul(mean, scale)),
        ] as [tf.Tensor4D, tf.Tensor1D];
      });
      const args = {
        filter,
        bias,
        strides: layer.config.strides ?? [1, 1],
        pad: layer.config.padding as 'same' | 'valid',
        activation: relu ? ('relu6' as const) : ('linear' as const),
      };
      folded.add(bn.name);
      if (relu) folded.add(relu.name);
      steps.push({
        output: relu?.name ?? bn.name,
        inputs,
        run: ([x]) => (depthwise ? tf.fused.depthwiseConv2d({ x, ...args }) : tf.fused.conv2d({ x, ...args })),
      });
    } else throw new Error(`cnn: no folded form for ${layer.class_name} ${name}`);
  }
  const output = FEATURE_LAYER;
  return (input) => {
    const values = new Map<string, tf.Tensor4D>([[layers[0].name, input]]);
    for (const step of steps) values.set(step.output, step.run(step.inputs.map((n) => values.get(n)!)));
    return values.get(output)!;
  };
}
