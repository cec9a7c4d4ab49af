"""What the hlsdemux2 tools (gst-hls-seek.py, gst-hls-play.py) share: playbin3 set up so that hlsdemux2 pauses its
downloads early enough to wait for its own output, instead of racing it to the end of a short playlist.

hlsdemux2 is GStreamer's adaptivedemux2 (gst-plugins-good 1.22, ext/adaptivedemux2/gstadaptivedemux-stream.c:
https://gitlab.freedesktop.org/gstreamer/gstreamer/-/blob/1.22.0/subprojects/gst-plugins-good/ext/adaptivedemux2/gstadaptivedemux-stream.c).
Its download loop and its output task run on separate threads, and the output task is the one that creates the
source pads. Until it has, every track is inactive and the download loop pauses only for a track that already
holds the high watermark of parsed data (gst_adaptive_demux2_stream_wait_for_output_space), 30 s by default. The
media under test lasts 10 s, and its audio playlist (about 84 KB) downloads over loopback in a fraction of a
second. When the output task's thread runs late (a loaded 2-core CI machine), the loop reaches the end of the
playlist first, finds no exposed pad to push EOS on (gst_adaptive_demux2_stream_end_of_manifest: "Can't push EOS
on non-exposed pad") and posts "Couldn't download fragments" although every HTTP answer was right: it happens to
the presigned S3 control as to the origin. A high watermark under the duration makes the loop wait for the output
task, as it does on any stream longer than 30 s; what is fetched, decoded and asserted stays the same.
"""
import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

# Under the 10 s of the media by more than a segment (2 s), so the download loop pauses before the last one.
# hlsdemux2 raises it to its low watermark if that is higher (1.5 segments here: 3 s is above it).
HIGH_WATERMARK = 3 * Gst.SECOND

ADAPTIVE_DEMUXER = "Codec/Demuxer/Adaptive"


def set_up_hls(playbin, seen=None):
    """Connects to playbin3's element-setup, which runs for every element added to it or to any of its sub-bins
    before that element starts: hlsdemux2 gets the high watermark, and the factory names of the adaptive
    demuxers are appended to `seen` (when given)."""

    def on_element_setup(_playbin, element):
        factory = element.get_factory()
        if factory is None:
            return
        if factory.get_name() == "hlsdemux2":
            element.set_property("high-watermark-time", HIGH_WATERMARK)
        if seen is not None and ADAPTIVE_DEMUXER in (factory.get_metadata("klass") or ""):
            seen.append(factory.get_name())

    playbin.connect("element-setup", on_element_setup)
