/**
 * Where the e2e suites find the repository's sample media and write what a person should look at.
 * Paths are derived from this file's location so the tests run from any working directory.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const mediaDir = join(repoRoot, 'media');
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');
export const hlsJsPath = join(repoRoot, 'node_modules', 'hls.js', 'dist', 'hls.min.js');
/** dash.js's modern (ES2020+, not the legacy ES5) browser bundle, and Shaka Player's compiled bundle. */
export const dashJsPath = join(repoRoot, 'node_modules', 'dashjs', 'dist', 'modern', 'umd', 'dash.all.min.js');
export const shakaPath = join(repoRoot, 'node_modules', 'shaka-player', 'dist', 'shaka-player.compiled.js');

/** Absolute path of a file under media/, by its key (the key the local stack uploads it under). */
export function mediaPath(key: string): string {
  return join(mediaDir, ...key.split('/'));
}

/** The stored bytes of a media file: every byte the origin serves must equal these. */
export function mediaBytes(key: string): Buffer {
  return readFileSync(mediaPath(key));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Keys of every media file directly in a rendition folder under media/ (e.g. "dash/template"), manifests and
 * playlists included; not subfolders, nor the folder's README.md and generate.sh.
 */
export function renditionKeys(dir: string): string[] {
  return readdirSync(mediaPath(dir), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'generate.sh' && entry.name !== 'README.md')
    .map((entry) => `${dir}/${entry.name}`);
}
