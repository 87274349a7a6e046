/** Types of build/package-layout.mjs (what a runnable Layerloom package holds). */
export declare const packagedFolders: string[];
export declare const packagedFiles: string[];
export declare const excludedDependencies: string[];
