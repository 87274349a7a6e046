/** Handlers of datasets.*: the built-in sets and previews of any dataset spec (user files included). */
import { listDatasets, loadDataset } from '../../data/registry.js';
import { sampleImage } from '../../data/sample-image.js';
import { classBalance, featureSize, previewSamples } from '../../data/split.js';
import type { EngineContext } from '../context.js';
import { checkDatasetSpec } from '../dataset-paths.js';
import type { HandlerTable } from '../dispatcher.js';
import { asCallError } from '../jobs/errors.js';
import type { Result } from '../protocol/index.js';

/** Feature values shown for a tabular sample. */
const SHOWN_VALUES = 16;

/** The user-file formats and their spec syntax. */
const FILE_KINDS: Result<'datasets.list'>['fileKinds'] = [
  { kind: 'idx', label: 'IDX files (MNIST format)', syntax: 'idx:TRAIN_IMAGES,TRAIN_LABELS[,TEST_IMAGES,TEST_LABELS]' },
  { kind: 'csv', label: 'CSV file', syntax: 'csv:PATH' },
  { kind: 'npy', label: 'NumPy arrays', syntax: 'npy:FEATURES.npy,LABELS.npy' },
  { kind: 'images', label: 'Image folder (one subfolder per class)', syntax: 'images:DIR' },
];

/** Handlers for the dataset methods. */
export function datasetsHandlers(engine: EngineContext): HandlerTable {
  return {
    'datasets.list': async () => ({ datasets: listDatasets(), fileKinds: FILE_KINDS }),
    'datasets.preview': async ({ spec, target, samples }) => {
      checkDatasetSpec(engine.paths, spec, 'spec');
      const ds = await loadDataset(spec, { target }).catch((e: unknown) => {
        throw asCallError(e, 'spec');
      });
      const per = featureSize(ds);
      return {
        spec,
        name: ds.name,
        task: ds.task,
        count: ds.count,
        testCount: ds.test?.count ?? null,
        inputShape: ds.inputShape,
        targetShape: ds.targetShape,
        numClasses: ds.numClasses ?? null,
        classNames: ds.classNames ?? null,
        classCounts: classBalance(ds),
        isImage: ds.isImage ?? false,
        attribution: ds.attribution ?? null,
        samples: previewSamples(ds, samples).map((s) => {
          const label = typeof s.y === 'number' ? (s.label ?? String(s.y)) : s.y.map((v) => +v.toPrecision(4)).join(', ');
          const image = ds.isImage ? sampleImage(s.x, ds.inputShape) : null;
          return image ? { index: s.index, label, image } : { index: s.index, label, values: s.x.slice(0, Math.min(per, SHOWN_VALUES)) };
        }),
      };
    },
  };
}
