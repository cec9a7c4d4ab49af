#!/bin/sh
# Derives the e2e fixtures from media/sample.mp4 (H.264 Main + AAC, 10 s, a keyframe every 2 s).
# Run from the repository root: sh media/hls/generate.sh
# Every command copies the coded streams (-c copy): no re-encoding, so every decoded frame equals the source's
# and the files stay small. Copying only works because the source has a keyframe every 2 s (segment cuts fall on
# keyframes); a source without that needs -c:v libx264 -force_key_frames 'expr:gte(t,n_forced*2)' instead.
set -eu
SRC=${1:-media/sample.mp4}
OUT=media/hls

# 1. MP4 with the moov index at the END (ffmpeg's default without -movflags +faststart): a player must read
#    the tail of the file (a range request near the end) before it can play or seek.
ffmpeg -hide_banner -loglevel error -y -i "$SRC" -map 0 -c copy -map_metadata -1 -fflags +bitexact \
  media/sample-moov-at-end.mp4

# 2. Segmented HLS: fragmented-MP4 segments (.m4s) of 2 s, an init section (init.mp4), and a master playlist.
#    (fMP4 rather than MPEG-TS: the linter parses every *.ts file in the tree as TypeScript.)
rm -rf "$OUT/fmp4" "$OUT/byterange"
mkdir -p "$OUT/fmp4" "$OUT/byterange"
ffmpeg -hide_banner -loglevel error -y -i "$SRC" -map 0:v:0 -map 0:a:0 -c copy -fflags +bitexact \
  -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
  -hls_segment_filename "$OUT/fmp4/segment-%03d.m4s" -master_pl_name master.m3u8 \
  "$OUT/fmp4/index.m3u8"
# The master playlist lives one level up so it references its variant by a relative path (fmp4/index.m3u8).
sed 's#^index\.m3u8$#fmp4/index.m3u8#' "$OUT/fmp4/master.m3u8" > "$OUT/master.m3u8"
rm "$OUT/fmp4/master.m3u8"

# 3. Byte-range HLS: ONE fragmented MP4 file; the playlist addresses the init section (EXT-X-MAP BYTERANGE) and
#    every 2 s fragment (EXT-X-BYTERANGE) inside it, so a player sends explicit `bytes=a-b` ranges.
ffmpeg -hide_banner -loglevel error -y -i "$SRC" -map 0:v:0 -map 0:a:0 -c copy -fflags +bitexact \
  -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_type fmp4 -hls_flags single_file \
  -hls_segment_filename "$OUT/byterange/media.mp4" \
  "$OUT/byterange/index.m3u8"
