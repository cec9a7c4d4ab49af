"""What gst-seek.py and gst-hls-seek.py share: a playbin-family element playing a URL to fakesinks, the seekable and
duration queries, the accurate seeks to fractions of the duration and the one JSON object on stdout. The tools
differ in how they start playback and how they wait after a seek, which they pass to run().
"""
import json
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

TIMEOUT = 20 * Gst.SECOND


def raise_on_error(message):
    """Raises the pipeline's error carried by a bus message, if any."""
    if message is not None and message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        raise RuntimeError(f"{error.message} ({debug})")


def position(pipeline):
    ok, value = pipeline.query_position(Gst.Format.TIME)
    return value / Gst.SECOND if ok else None


def run(element, start, seek_and_play):
    """Runs the tool on argv (URL [FRACTION ...]). start(pipeline, result) brings the pipeline up (and may add to
    the result); seek_and_play(pipeline) waits for a flushing seek to complete and returns (landed, advanced)."""
    url = sys.argv[1]
    fractions = [float(value) for value in sys.argv[2:]]
    Gst.init(None)
    pipeline = Gst.ElementFactory.make(element, None)
    pipeline.set_property("uri", url)
    for name in ("video-sink", "audio-sink"):
        sink = Gst.ElementFactory.make("fakesink", None)
        sink.set_property("sync", True)  # play in real time, so "advanced" is measured in playback
        pipeline.set_property(name, sink)
    result = {"url": url}
    try:
        start(pipeline, result)
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
            landed, advanced = seek_and_play(pipeline)
            seeks.append({"target": target, "accepted": bool(accepted), "landed": landed, "advancedTo": advanced})
        result["seeks"] = seeks
        result["error"] = None
    except RuntimeError as error:
        result["error"] = str(error)
    finally:
        pipeline.set_state(Gst.State.NULL)
    print(json.dumps(result))
