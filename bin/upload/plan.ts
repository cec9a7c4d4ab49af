/**
 * Which file goes to which key, with which Content-Type and Cache-Control. Reads the file system (to expand
 * directories and learn sizes) but never the network, so the mapping is tested against a temporary tree.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { contentTypeFor } from '../../lambda/http/content-type.ts';
import { UsageError } from './args.ts';

export interface UploadItem {
  readonly file: string;
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * Media files never change under the same key in a sane workflow, so they may be cached for long; a re-upload
 * to the same key needs a CloudFront invalidation (docs/operations.md). 30 days, not `immutable`, so a mistake heals.
 */
export const MEDIA_CACHE_CONTROL = 'public, max-age=2592000';
/**
 * HLS/DASH playlists and manifests are rewritten in place (live, or a re-packaged VOD): keep them short so
 * players and CloudFront see a new version within seconds (HLS: reload at most every target duration).
 */
export const PLAYLIST_CACHE_CONTROL = 'public, max-age=5';
const PLAYLIST_EXTENSIONS = new Set(['m3u8', 'mpd']);

export function cacheControlFor(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return PLAYLIST_EXTENSIONS.has(extension) ? PLAYLIST_CACHE_CONTROL : MEDIA_CACHE_CONTROL;
}

/** `prefix` + a path relative to the upload root, always with "/" separators (S3 keys are not OS paths). */
export function keyFor(prefix: string, relativePath: string): string {
  return prefix + relativePath.split(sep).join('/');
}

/**
 * Expands the command line paths: a file maps to `<prefix><name>`, a directory's files (recursively, hidden
 * names such as .DS_Store skipped) to `<prefix><path below the directory>` - like `aws s3 sync dir s3://b/prefix`.
 * Two paths landing on the same key are refused rather than silently overwriting one with the other.
 */
export async function planUploads(
  paths: readonly string[],
  options: { readonly prefix: string; readonly cacheControl?: string },
): Promise<UploadItem[]> {
  const items: UploadItem[] = [];
  const sources = new Map<string, string>();
  const add = (file: string, relativePath: string, size: number): void => {
    const key = keyFor(options.prefix, relativePath);
    const previous = sources.get(key);
    if (previous !== undefined) throw new UsageError(`both ${previous} and ${file} would be uploaded to key "${key}"`);
    sources.set(key, file);
    items.push({
      file,
      key,
      size,
      contentType: contentTypeFor(key, undefined),
      cacheControl: options.cacheControl ?? cacheControlFor(key),
    });
  };
  for (const path of paths) {
    const info = await stat(path).catch((error: unknown) => {
      throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    });
    if (info.isDirectory()) {
      for (const file of await listFiles(path)) add(file, relative(path, file), (await stat(file)).size);
    } else if (info.isFile()) {
      add(path, basename(path), info.size);
    } else {
      throw new UsageError(`${path} is neither a file nor a directory`);
    }
  }
  return items;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
