#!/usr/bin/python3
"""GStreamer's HLS decode path, as `gst-launch-1.0 playbin3 uri=URL` with fakesinks (sync=false) runs it: playbin3
(hlsdemux2, set up as gst_hls.py says) decodes the whole URL as fast as it can. One JSON object on stdout: whether
playback reached EOS, the pipeline's error (null when none) and the adaptive demuxers playbin3 built.

usage: gst-hls-play.py URL   (needs python3-gi and gir1.2-gstreamer-1.0 from Debian)
"""
import json
import sys

sys.dont_write_bytecode = True  # import the shared module without leaving __pycache__ in the source tree
from gst_hls import Gst, set_up_hls  # noqa: E402

# A guard, not a measurement: turn a stall into a report before the caller's own guard kills the tool.
GUARD = 45 * Gst.SECOND


def main():
    url = sys.argv[1]
    Gst.init(None)
    pipeline = Gst.ElementFactory.make("playbin3", None)
    pipeline.set_property("uri", url)
    for name in ("video-sink", "audio-sink"):
        sink = Gst.ElementFactory.make("fakesink", None)
        sink.set_property("sync", False)
        pipeline.set_property(name, sink)
    demuxers = []
    set_up_hls(pipeline, demuxers)
    result = {"url": url, "eos": False, "error": None}
    try:
        pipeline.set_state(Gst.State.PLAYING)
        message = pipeline.get_bus().timed_pop_filtered(GUARD, Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if message is None:
            result["error"] = "no EOS message"
        elif message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            result["error"] = f"{error.message} ({debug})"
        else:
            result["eos"] = True
    finally:
        pipeline.set_state(Gst.State.NULL)
    result["demuxers"] = demuxers
    print(json.dumps(result))


main()
