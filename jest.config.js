// Jest runs the TypeScript sources as native ES modules (the project is "type": "module" and middy 7,
// @datastream/core and fauxqs ship ESM only), so it needs NODE_OPTIONS=--experimental-vm-modules (set by the
// npm scripts). ts-jest only transpiles here; type checking is `tsc --noEmit` in `npm test`.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The integration, e2e and cdk suites start servers, browsers and esbuild; two workers suit a 2-core machine.
  maxWorkers: 2,
  // A worker must exit on its own within this time after its last suite, or jest kills it and warns "A worker
  // process has failed to exit gracefully". The default 500 ms is too short on a busy machine: suites with no
  // open handle at all (pure unit tests) got the warning under load and never with 5 s. A real leak (a server
  // or child process left open) keeps a worker alive indefinitely and is still reported, 5 s later.
  workerGracefulExitTimeout: 5_000,
  testTimeout: 30_000,
};
