#!/bin/sh
# Builds the DASH fixtures: two video representations (320x180 and 640x360) and one audio, 10 s,
# 2 s segments, in three renditions:
#   on-demand/  the ISO BMFF on-demand profile: ONE fragmented MP4 per representation with a `sidx` index,
#               addressed by SegmentBase (indexRange + Initialization range): players read it by byte ranges.
#   template/   the live profile: SegmentTemplate with a SegmentTimeline, one init section and one file per segment.
#   template-number/  the live profile without a timeline: SegmentTemplate@duration and $Number$.
# Run from the repository root: sh media/dash/generate.sh
# The 320x180 video and the audio are copied from media/sample.mp4 (a keyframe every 2 s); only the 640x360
# video is encoded here, with the same testsrc2 pattern and keyframe interval.
set -eu
SRC=${1:-media/sample.mp4}
OUT=media/dash
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 640x360 H.264 Main, about 160 kb/s, a keyframe exactly every 48 frames (2 s), no scene-cut keyframes.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=24:duration=10" \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -preset slow -b:v 160k -maxrate 200k -bufsize 400k \
  -g 48 -keyint_min 48 -sc_threshold 0 -an -map_metadata -1 -fflags +bitexact "$WORK/640x360.mp4"

rm -rf "$OUT/on-demand" "$OUT/template" "$OUT/template-number"
mkdir -p "$OUT/on-demand" "$OUT/template" "$OUT/template-number"
INPUTS="-i $SRC -i $WORK/640x360.mp4 -map 0:v:0 -map 1:v:0 -map 0:a:0 -c copy -map_metadata -1 -fflags +bitexact"
SETS="id=0,streams=v id=1,streams=a"

# 1. On-demand: -single_file with ONE global sidx (after moov) per file. ffmpeg 5.1 describes such a file with a
#    SegmentList of mediaRanges; the on-demand profile uses SegmentBase instead (the player reads the sidx
#    itself), so the SegmentList is rewritten below from the files' own box layout.
# shellcheck disable=SC2086
ffmpeg -hide_banner -loglevel error -y $INPUTS -f dash -seg_duration 2 -adaptation_sets "$SETS" \
  -dash_segment_type mp4 -single_file 1 -global_sidx 1 -single_file_name 'media-$RepresentationID$.mp4' \
  "$OUT/on-demand/manifest.mpd"
# SegmentBase: Initialization = ftyp + moov (bytes 0 .. sidx start - 1), indexRange = the sidx box.
node -e '
const { readFileSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const mpdPath = process.argv[1];
const boxes = (file) => {
  const bytes = readFileSync(file);
  const found = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    found.push({ type: bytes.toString("latin1", at + 4, at + 8), start: at, end: at + size - 1 });
    if (size < 8) throw new Error(`${file}: box size ${size} at ${at}`);
    at += size;
  }
  return found;
};
let mpd = readFileSync(mpdPath, "utf8");
mpd = mpd.replace(/(<BaseURL>([^<]+)<\/BaseURL>\s*)<SegmentList timescale="(\d+)"[^>]*>[\s\S]*?<\/SegmentList>/g,
  (_all, base, file, timescale) => {
    const sidx = boxes(join(dirname(mpdPath), file)).find((box) => box.type === "sidx");
    if (!sidx) throw new Error(`${file}: no sidx box`);
    return `${base}<SegmentBase timescale="${timescale}" indexRange="${sidx.start}-${sidx.end}" indexRangeExact="true">\n` +
      `\t\t\t\t\t<Initialization range="0-${sidx.start - 1}" />\n\t\t\t\t</SegmentBase>`;
  });
if (mpd.includes("SegmentList")) throw new Error("a SegmentList was left");
mpd = mpd.replace("urn:mpeg:dash:profile:isoff-live:2011", "urn:mpeg:dash:profile:isoff-on-demand:2011");
writeFileSync(mpdPath, mpd);
' "$OUT/on-demand/manifest.mpd"

# 2. SegmentTemplate + SegmentTimeline: init-<id>.mp4 and chunk-<id>-<n>.m4s (video/mp4, video/iso.segment).
# shellcheck disable=SC2086
ffmpeg -hide_banner -loglevel error -y $INPUTS -f dash -seg_duration 2 -adaptation_sets "$SETS" \
  -dash_segment_type mp4 -use_template 1 -use_timeline 1 \
  -init_seg_name 'init-$RepresentationID$.mp4' -media_seg_name 'chunk-$RepresentationID$-$Number%03d$.m4s' \
  "$OUT/template/manifest.mpd"

# 3. SegmentTemplate with @duration and $Number$ (no SegmentTimeline): the segment list is derived from the
#    presentation duration alone.
# shellcheck disable=SC2086
ffmpeg -hide_banner -loglevel error -y $INPUTS -f dash -seg_duration 2 -adaptation_sets "$SETS" \
  -dash_segment_type mp4 -use_template 1 -use_timeline 0 \
  -init_seg_name 'init-$RepresentationID$.mp4' -media_seg_name 'chunk-$RepresentationID$-$Number%03d$.m4s' \
  "$OUT/template-number/manifest.mpd"
