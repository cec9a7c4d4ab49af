/**
 * `node:http` for the deployed bundle, as a CommonJS module. lib/media-function.ts aliases every
 * `node:http` / `http` import of the bundle to this file, so the ESM bundle never imports `node:http` statically.
 *
 * Why: an ESM import of a Node builtin builds a module facade that reads EVERY export of the builtin, and
 * `node:http`'s exports include lazy getters (`WebSocket`, `CloseEvent`, `MessageEvent`) that load Node's
 * bundled undici. That costs 55-60 ms of CPU at init (measured in a fresh Node 24 process: `import('node:http')`
 * after `require('node:http')`), for a WebSocket client the function never uses. `getBuiltinModule` returns the
 * same module object without a facade; named imports then read only the properties they use.
 */
module.exports = process.getBuiltinModule('node:http');
