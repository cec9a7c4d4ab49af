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
  testTimeout: 30_000,
};
