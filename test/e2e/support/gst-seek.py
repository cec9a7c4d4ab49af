#!/usr/bin/python3
"""GStreamer's own seek path, as WebKitGTK drives it: playbin (souphttpsrc for http) prerolls the URL, reports
whether the stream is seekable and its duration, then for each fraction seeks (FLUSH | ACCURATE), plays a
moment and reports where playback landed and how far it advanced. One JSON object on stdout.

usage: gst-seek.py URL [FRACTION ...]   (needs python3-gi and gir1.2-gstreamer-1.0 from Debian)
"""
import json
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

TIMEOUT = 20 * Gst.SECOND


def settle(pipeline):
    """Waits for the pending state change (preroll after a flushing seek); raises the pipeline's error."""
    change, _, _ = pipeline.get_state(TIMEOUT)
    message = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
    if message is not None:
        error, debug = message.parse_error()
        raise RuntimeError(f"{error.message} ({debug})")
    if change == Gst.StateChangeReturn.FAILURE or change == Gst.StateChangeReturn.ASYNC:
        raise RuntimeError(f"pipeline did not settle: {change.value_nick}")


def position(pipeline):
    ok, value = pipeline.query_position(Gst.Format.TIME)
    return value / Gst.SECOND if ok else None


def main():
    url = sys.argv[1]
    fractions = [float(value) for value in sys.argv[2:]]
    Gst.init(None)
    pipeline = Gst.ElementFactory.make("playbin", None)
    pipeline.set_property("uri", url)
    for name in ("video-sink", "audio-sink"):
        sink = Gst.ElementFactory.make("fakesink", None)
        sink.set_property("sync", True)  # play in real time, so "advanced" means half a second of playback
        pipeline.set_property(name, sink)
    result = {"url": url}
    try:
        pipeline.set_state(Gst.State.PAUSED)
        settle(pipeline)
        query = Gst.Query.new_seeking(Gst.Format.TIME)
        result["seekable"] = bool(pipeline.query(query) and query.parse_seeking()[1])
        ok, duration = pipeline.query_duration(Gst.Format.TIME)
        result["duration"] = duration / Gst.SECOND if ok and duration > 0 else None
        seeks = []
        for fraction in fractions:
            if result["duration"] is None:
                break
            target = result["duration"] * fraction
            accepted = pipeline.seek_simple(
                Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE, int(target * Gst.SECOND)
            )
            settle(pipeline)
            landed = position(pipeline)
            pipeline.set_state(Gst.State.PLAYING)
            time.sleep(0.5)
            advanced = position(pipeline)
            pipeline.set_state(Gst.State.PAUSED)
            settle(pipeline)
            seeks.append({"target": target, "accepted": bool(accepted), "landed": landed, "advancedTo": advanced})
        result["seeks"] = seeks
        result["error"] = None
    except RuntimeError as error:
        result["error"] = str(error)
    finally:
        pipeline.set_state(Gst.State.NULL)
    print(json.dumps(result))


main()
