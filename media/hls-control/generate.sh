#!/bin/sh
# The control for the HLS the origin generates from the stored DASH (media/dash/): the SAME coded streams,
# packaged offline by ffmpeg's HLS muxer as byte-range HLS (fragmented MP4, ONE file per rendition, every segment
# an EXT-X-BYTERANGE, the init section an EXT-X-MAP BYTERANGE) with a multivariant playlist. The e2e suites play
# it straight from the S3-compatible server next to the generated playlists.
# Run from the repository root after regenerating media/dash: sh media/hls-control/generate.sh
# The input is the DASH on-demand files themselves (-c copy): the frames equal those of both DASH renditions
# (on-demand and template hold the same streams), so frame and packet counts can be compared exactly.
set -eu
DASH=${1:-media/dash/on-demand}
OUT=media/hls-control

rm -rf "$OUT"/*.m3u8 "$OUT"/*.mp4
# %v is the variant's index in -var_stream_map, which matches the DASH Representation ids (0, 1 video; 2 audio).
ffmpeg -hide_banner -loglevel error -y -i "$DASH/media-0.mp4" -i "$DASH/media-1.mp4" -i "$DASH/media-2.mp4" \
  -map 0:v:0 -map 1:v:0 -map 2:a:0 -c copy -map_metadata -1 -fflags +bitexact \
  -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_type fmp4 -hls_flags single_file \
  -master_pl_name master.m3u8 -var_stream_map "v:0,agroup:audio v:1,agroup:audio a:0,agroup:audio,default:yes" \
  -hls_segment_filename "$OUT/media-%v.mp4" "$OUT/stream-%v.m3u8"

# ffmpeg 5.1 writes no CODECS attribute when copying streams; players that cannot probe first (Shaka guesses)
# need it (RFC 8216 section 4.3.4.2). The values are the MPD's own `codecs` of the same representations.
node -e '
const { readFileSync, writeFileSync } = require("node:fs");
const [mpdPath, masterPath] = process.argv.slice(1);
const codecs = {};
for (const [, id, value] of readFileSync(mpdPath, "utf8").matchAll(/<Representation id="(\d+)"[^>]*codecs="([^"]+)"/g)) {
  codecs[id] = value;
}
const audio = codecs["2"];
let master = readFileSync(masterPath, "utf8");
master = master.replace(/^(#EXT-X-STREAM-INF:[^\n]*)\n(stream-(\d+)\.m3u8)$/gm, (_all, tag, uri, id) => {
  if (!codecs[id] || !audio) throw new Error(`no codecs for representation ${id}`);
  return `${tag},CODECS="${codecs[id]},${audio}"\n${uri}`;
});
writeFileSync(masterPath, master);
' "$DASH/manifest.mpd" "$OUT/master.m3u8"
