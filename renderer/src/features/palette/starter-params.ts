/**
 * Params a node gets when it is dropped from the palette: a sensible starting point for the
 * kinds whose schema has required fields (Input shape, Dense units…), the schema defaults
 * for the rest.
 */
import { getLayer } from '../../../../engine/layers/index.js';
import { containerDefs, isContainerKind } from '../../store/containers.js';

const starters: Record<string, Record<string, unknown>> = {
  Input: { shape: [28, 28, 1] },
  Dense: { units: 64, activation: 'relu' },
  Conv2D: { filters: 32, kernelSize: 3, activation: 'relu' },
  Conv1D: { filters: 32, kernelSize: 3, activation: 'relu' },
  Conv2DTranspose: { filters: 32, kernelSize: 3 },
  SeparableConv2D: { filters: 32, kernelSize: 3 },
  Embedding: { inputDim: 1000, outputDim: 64 },
  SimpleRNN: { units: 64 },
  LSTM: { units: 64 },
  GRU: { units: 64 },
  Reshape: { targetShape: [-1] },
};

/** The params for a new node of `kind`. */
export function starterParams(kind: string): Record<string, unknown> {
  if (starters[kind]) return { ...starters[kind] };
  if (isContainerKind(kind)) return { ...containerDefs[kind].starter };
  const def = getLayer(kind);
  if (!def || def.params.safeParse({}).success) return {};
  return { ...(def.examples[0]?.params ?? {}) };
}
