#!/usr/bin/python3
"""GStreamer's own seek path, as WebKitGTK drives it: playbin (souphttpsrc for http) prerolls the URL, reports
whether the stream is seekable and its duration, then for each fraction seeks (FLUSH | ACCURATE), plays half a
second and reports where playback landed and how far it advanced. One JSON object on stdout (gst_seek_tool.py).

usage: gst-seek.py URL [FRACTION ...]   (needs python3-gi and gir1.2-gstreamer-1.0 from Debian)
"""
import sys
import time

sys.dont_write_bytecode = True  # import the shared module without leaving __pycache__ in the source tree
from gst_seek_tool import TIMEOUT, Gst, position, raise_on_error, run  # noqa: E402


def settle(pipeline):
    """Waits for the pending state change (preroll after a flushing seek); raises the pipeline's error."""
    change, _, _ = pipeline.get_state(TIMEOUT)
    raise_on_error(pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR))
    if change == Gst.StateChangeReturn.FAILURE or change == Gst.StateChangeReturn.ASYNC:
        raise RuntimeError(f"pipeline did not settle: {change.value_nick}")


def start(pipeline, _result):
    pipeline.set_state(Gst.State.PAUSED)
    settle(pipeline)


def seek_and_play(pipeline):
    settle(pipeline)
    landed = position(pipeline)
    pipeline.set_state(Gst.State.PLAYING)
    time.sleep(0.5)
    advanced = position(pipeline)
    pipeline.set_state(Gst.State.PAUSED)
    settle(pipeline)
    return landed, advanced


run("playbin", start, seek_and_play)
