/** Datasets for the training panel's picker: the built-in sets and a preview of any dataset spec. */
import { z } from 'zod';
import { method, noParams } from './define.js';
import { sampleImageSchema } from './train.js';

/** A built-in dataset (embedded, MNIST, synthetic). */
export const datasetInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputShape: z.array(z.number().int()),
  task: z.enum(['classification', 'regression']),
  classes: z.number().int().optional(),
  count: z.number().int(),
  testCount: z.number().int().optional(),
  isImage: z.boolean(),
  synthetic: z.boolean(),
  attribution: z.string(),
});

/** A kind of user file the loaders read, with its spec syntax. */
export const fileKindSchema = z.object({
  kind: z.enum(['idx', 'csv', 'npy', 'images']),
  label: z.string(),
  /** e.g. `csv:PATH`. */
  syntax: z.string(),
});

export const datasetsMethods = {
  'datasets.list': method({
    doc: 'The built-in datasets and the file formats the loaders read.',
    params: noParams,
    result: z.object({ datasets: z.array(datasetInfoSchema), fileKinds: z.array(fileKindSchema) }),
  }),
  'datasets.preview': method({
    doc: 'Loads a dataset spec and returns a few samples (images or rows) and its class balance; errors name the file and position.',
    params: z.object({
      spec: z.string().min(1).max(8192),
      /** CSV target column. */
      target: z.string().optional(),
      samples: z.number().int().min(1).max(48).default(12),
    }),
    result: z.object({
      spec: z.string(),
      name: z.string(),
      task: z.enum(['classification', 'regression']),
      count: z.number().int(),
      /** Samples in a shipped test split, null when there is none. */
      testCount: z.number().int().nullable(),
      inputShape: z.array(z.number().int()),
      targetShape: z.array(z.number().int()),
      numClasses: z.number().int().nullable(),
      classNames: z.array(z.string()).nullable(),
      /** Samples per class (index = class id); empty for regression. */
      classCounts: z.array(z.number().int()),
      isImage: z.boolean(),
      attribution: z.string().nullable(),
      samples: z.array(
        z.object({
          index: z.number().int(),
          /** Class name or id (classification), target values (regression). */
          label: z.string(),
          image: sampleImageSchema.optional(),
          /** The first feature values, for tabular data. */
          values: z.array(z.number()).optional(),
        }),
      ),
    }),
  }),
};
