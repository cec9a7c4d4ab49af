#!/usr/bin/python3
"""GStreamer's HLS seek path: playbin3 (hlsdemux2, the adaptivedemux2 HLS demuxer of GStreamer 1.22, needs the
streams-aware playbin3; the older playbin cannot bring it to READY) plays the URL in real time, then for each
fraction seeks (FLUSH | ACCURATE) while playing and reports where playback landed once the seek completed
(ASYNC_DONE) and how far it advanced after. One JSON object on stdout.

usage: gst-hls-seek.py URL [FRACTION ...]   (needs python3-gi and gir1.2-gstreamer-1.0 from Debian)
"""
import json
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

TIMEOUT = 20 * Gst.SECOND
# Guards, not measurements: turn a stall into a report instead of a hang.
START_GUARD_S = 20
ADVANCE_GUARD_S = 5


def wait_for(pipeline, kind):
    """Waits for a bus message of `kind`; raises the pipeline's error, or on the guard."""
    message = pipeline.get_bus().timed_pop_filtered(TIMEOUT, kind | Gst.MessageType.ERROR)
    if message is None:
        raise RuntimeError(f"no {kind.first_value_nick} message")
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        raise RuntimeError(f"{error.message} ({debug})")


def position(pipeline):
    ok, value = pipeline.query_position(Gst.Format.TIME)
    return value / Gst.SECOND if ok else None


def until_position(pipeline, done, guard_s):
    """Polls the playing pipeline's position until `done(position)` or the guard; the last position seen."""
    deadline = time.monotonic() + guard_s
    while time.monotonic() < deadline:
        now = position(pipeline)
        if now is not None and done(now):
            return now
        time.sleep(0.02)
    return position(pipeline)


def main():
    url = sys.argv[1]
    fractions = [float(value) for value in sys.argv[2:]]
    Gst.init(None)
    pipeline = Gst.ElementFactory.make("playbin3", None)
    pipeline.set_property("uri", url)
    for name in ("video-sink", "audio-sink"):
        sink = Gst.ElementFactory.make("fakesink", None)
        sink.set_property("sync", True)  # real time, so "advanced" means a quarter of a second of playback
        pipeline.set_property(name, sink)
    result = {"url": url}
    try:
        pipeline.set_state(Gst.State.PLAYING)
        wait_for(pipeline, Gst.MessageType.ASYNC_DONE)
        result["started"] = until_position(pipeline, lambda now: now > 0.3, START_GUARD_S)
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
            wait_for(pipeline, Gst.MessageType.ASYNC_DONE)
            landed = position(pipeline)
            advanced = until_position(
                pipeline, lambda now: landed is not None and now >= landed + 0.25, ADVANCE_GUARD_S
            )
            seeks.append({"target": target, "accepted": bool(accepted), "landed": landed, "advancedTo": advanced})
        result["seeks"] = seeks
        result["error"] = None
    except RuntimeError as error:
        result["error"] = str(error)
    finally:
        pipeline.set_state(Gst.State.NULL)
    print(json.dumps(result))


main()
