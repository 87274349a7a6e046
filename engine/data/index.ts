/** Public surface of the data layer: the registry, loaders, generators and split helpers. */
export { DataError, type Dataset } from './types.js';
export { loadDataset, listDatasets, type DatasetInfo, type LoadOptions } from './registry.js';
export { loadDigits } from './digits.js';
export { loadMnist } from './mnist.js';
export { loadIdx, parseIdx, type IdxOptions, type IdxTensor } from './idx.js';
export { loadCsv, parseCsv, type CsvOptions } from './csv.js';
export { loadNpy, parseNpy, type NpyArray, type NpyOptions } from './npy.js';
export { loadImageFolder, type ImageFolderOptions } from './images.js';
export { makeSpirals, type SpiralsOptions } from './synthetic/spirals.js';
export { makeShapes, type ShapesOptions } from './synthetic/shapes.js';
export { makeSine, type SineOptions } from './synthetic/sine.js';
export {
  batchGather,
  batchSlice,
  classBalance,
  featureSize,
  previewSamples,
  selectSamples,
  splitValidation,
  subset,
  targetSize,
  type Batch,
  type PreviewSample,
} from './split.js';
