// Module hooks that resolve `electron` to fake-electron.mjs (see main-wiring.test.ts).
const fake = new URL('./fake-electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return specifier === 'electron' ? { url: fake, shortCircuit: true } : next(specifier, context);
}
