/** Types of scripts/build.mjs (npm run build). */
/** Builds the engine into `outDir` (default dist/); resolves with every file it wrote and checked. */
export declare function buildEngine(outDir?: string): Promise<string[]>;
